import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkedContainers, defaultImagePullPolicy, isNanoServerImage, regoRegexMatch, windowsUserName } from '../../../server/src/templates/common';
import { container, podReview } from './support';

describe('regoRegexMatch: Go patterns', () => {
  it('finds a match anywhere unless the pattern is anchored', () => {
    assert.equal(regoRegexMatch('allowed', 'mcr.microsoft.com/aks/policy/allowed:v1.0.0'), true);
    assert.equal(regoRegexMatch('^allowed', 'mcr.microsoft.com/aks/policy/allowed:v1.0.0'), false);
    assert.equal(regoRegexMatch('^myregistry\\.azurecr\\.io/.+$', 'myregistry.azurecr.io/app:1'), true);
    assert.equal(regoRegexMatch('^myregistry\\.azurecr\\.io/.+$', 'myregistry.azurecr.io.evil.com/app:1'), false);
  });

  it('translates the RE2 syntax JavaScript spells differently', () => {
    assert.equal(regoRegexMatch('(?i)^MCR\\.microsoft', 'mcr.microsoft.com/x'), true);
    assert.equal(regoRegexMatch('^[[:alpha:]]+$', 'nginx'), true);
    assert.equal(regoRegexMatch('^[[:alpha:]]+$', 'nginx1'), false);
    assert.equal(regoRegexMatch('^(?P<registry>[a-z.]+)/', 'docker.io/nginx'), true);
    assert.equal(regoRegexMatch('\\Aa.b\\z', 'a.b'), true);
    assert.equal(regoRegexMatch('\\Q.+\\E$', 'a.+'), true);
    assert.equal(regoRegexMatch('\\Q.+\\E$', 'ab'), false);
  });

  it('errs (undefined) for patterns Go refuses, and for operands that are not strings', () => {
    assert.equal(regoRegexMatch('(?=x)', 'x'), undefined, 'lookahead');
    assert.equal(regoRegexMatch('(a)\\1', 'aa'), undefined, 'backreference');
    assert.equal(regoRegexMatch('(', 'x'), undefined, 'unbalanced');
    assert.equal(regoRegexMatch(undefined, 'x'), undefined);
    assert.equal(regoRegexMatch('x', 5), undefined);
  });
});

describe('defaultImagePullPolicy: the API server default', () => {
  it('is Always for latest or for no tag and no digest', () => {
    assert.equal(defaultImagePullPolicy('nginx'), 'Always');
    assert.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultImagePullPolicy('localhost:5000/team/app'), 'Always', 'a registry port is not a tag');
    assert.equal(defaultImagePullPolicy('mcr.microsoft.com/aks/policy/example'), 'Always');
  });

  it('is IfNotPresent for another tag, a digest, or an image it cannot parse', () => {
    assert.equal(defaultImagePullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy('localhost:5000/team/app:v2'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy(`nginx@sha256:${'a'.repeat(64)}`), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy(`nginx:latest@sha256:${'a'.repeat(64)}`), 'Always', 'the tag decides when both are given');
    assert.equal(defaultImagePullPolicy('Nginx:latest'), 'IfNotPresent', 'upper case is not a valid repository');
    assert.equal(defaultImagePullPolicy(''), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy(5), undefined);
  });
});

describe('Windows helpers', () => {
  it('recognise Nano Server images anywhere in the name, dots matching any character', () => {
    const [nano, core, lookalike] = checkedContainers(
      podReview({
        containers: [
          container('a', { image: 'mcr.microsoft.com/windows/nanoserver:1809' }),
          container('b', { image: 'mcr.microsoft.com/windows/servercore:1809' }),
          container('c', { image: 'mirror.io/mcrXmicrosoftXcom/windows/nanoserver' }),
        ],
      }),
      {},
    );
    assert.ok(nano && core && lookalike);
    assert.equal(isNanoServerImage(nano), true);
    assert.equal(isNanoServerImage(core), false);
    assert.equal(isNanoServerImage(lookalike), true);
  });

  it("read the container's runAsUserName, else the pod's", () => {
    const review = podReview({
      securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } },
      containers: [container('own', { securityContext: { windowsOptions: { runAsUserName: 'ContainerAdministrator' } } }), container('inherits')],
    });
    const [own, inherits] = checkedContainers(review, {});
    assert.ok(own && inherits);
    assert.deepEqual(windowsUserName(review, own), { userName: 'ContainerAdministrator', path: ['spec', 'containers', 0, 'securityContext', 'windowsOptions', 'runAsUserName'] });
    assert.deepEqual(windowsUserName(review, inherits), { userName: 'ContainerUser', path: ['spec', 'securityContext', 'windowsOptions', 'runAsUserName'] });
    assert.equal(windowsUserName(podReview({ containers: [container('a')] }), inherits), undefined);
  });
});
