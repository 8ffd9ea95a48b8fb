import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../server/src/json';
import { k8sazurev3hostfilesystem as template } from '../../../server/src/templates/k8sazurev3hostfilesystem';
import { assertFixesClear, container, culpritPaths, INITIATIVE_PARAMETERS, messages, onlyViolation, podReview } from './support';

const parameters = INITIATIVE_PARAMETERS.k8sazurev3hostfilesystem;

/** A pod whose `app` container mounts the hostPath volume `host` at `path`. */
function hostPathPod(path: string, mount: JsonObject = {}): ReturnType<typeof podReview> {
  return podReview({
    containers: [container('app', { volumeMounts: [{ name: 'host', mountPath: '/host', ...mount }] })],
    volumes: [{ name: 'host', hostPath: { path, type: '' } }],
  });
}

const allowing = (...allowedHostPaths: JsonObject[]) => ({ ...parameters, allowedHostPaths });

describe('k8sazurev3hostfilesystem', () => {
  it('flags every mounted hostPath with the Baseline default of no allowed paths', () => {
    const violation = onlyViolation(template.check(hostPathPod('/var/log'), parameters));
    assert.equal(violation.message, 'HostPath volume {"hostPath": {"path": "/var/log", "type": ""}, "name": "host"} is not allowed, pod: demo. Allowed path: []');
    assert.deepEqual(culpritPaths(violation), [['spec', 'volumes', 0, 'hostPath', 'path']]);
    assert.equal(violation.culprits[0]?.fixes, undefined, 'no allowed path can be chosen for the author');
  });

  it('prints no allowed paths as [] when the parameter is missing', () => {
    assert.match(onlyViolation(template.check(hostPathPod('/data'), {})).message, /Allowed path: \[\]$/);
  });

  it('ignores hostPath volumes that no container mounts', () => {
    const review = podReview({ containers: [container('app')], volumes: [{ name: 'host', hostPath: { path: '/' } }] });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('matches prefixes segment by segment', () => {
    const foo = allowing({ pathPrefix: '/foo', readOnly: false });
    for (const path of ['/foo', '/foo/', '/foo/bar', '//foo//bar']) assert.deepEqual(template.check(hostPathPod(path), foo), [], path);
    for (const path of ['/fool', '/etc/foo', '/', 'foo2']) assert.equal(template.check(hostPathPod(path), foo).length, 1, path);
    assert.deepEqual(template.check(hostPathPod('/foo/bar'), allowing({ pathPrefix: '/foo/', readOnly: false })), []);
  });

  it('lets "/" allow every path', () => {
    const root = allowing({ pathPrefix: '/', readOnly: false });
    for (const path of ['/', '/etc', '/var/lib/kubelet']) assert.deepEqual(template.check(hostPathPod(path), root), [], path);
  });

  it('flags a hostPath volume without a path: it matches no prefix', () => {
    const review = podReview({
      containers: [container('app', { volumeMounts: [{ name: 'host', mountPath: '/host' }] })],
      volumes: [{ name: 'host', hostPath: {} }],
    });
    const violation = onlyViolation(template.check(review, allowing({ pathPrefix: '/', readOnly: false })));
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'volumes', 0, 'hostPath']);
  });

  it('requires readOnly mounts under a readOnly prefix and fixes each writable mount', () => {
    const readOnlyEtc = allowing({ pathPrefix: '/etc', readOnly: true });
    const review = podReview({
      containers: [container('app', { volumeMounts: [{ name: 'host', mountPath: '/a' }, { name: 'host', mountPath: '/b', readOnly: false }] })],
      initContainers: [container('setup', { volumeMounts: [{ name: 'host', mountPath: '/c', readOnly: true }] })],
      volumes: [{ name: 'host', hostPath: { path: '/etc/ssl' } }],
    });
    const violation = onlyViolation(template.check(review, readOnlyEtc));
    assert.equal(
      violation.message,
      'HostPath volume {"hostPath": {"path": "/etc/ssl"}, "name": "host"} does not meet the readonly requirement, pod: demo. Allowed path: [{"pathPrefix": "/etc", "readOnly": true}]',
    );
    assert.deepEqual(culpritPaths(violation), [
      ['spec', 'containers', 0, 'volumeMounts', 0, 'readOnly'],
      ['spec', 'containers', 0, 'volumeMounts', 1, 'readOnly'],
    ]);
    assert.deepEqual(violation.culprits[0]?.fallback, ['spec', 'containers', 0, 'volumeMounts', 0, 'name']);
    assert.ok(violation.culprits.every((culprit) => culprit.fixes?.[0]?.preferred === true));
    assert.deepEqual(assertFixesClear(template, review, readOnlyEtc, violation), []);
  });

  it('accepts writable mounts under a prefix that is not readOnly, even if another readOnly prefix also matches', () => {
    assert.deepEqual(template.check(hostPathPod('/etc/ssl'), allowing({ pathPrefix: '/etc', readOnly: false })), []);
    const both = allowing({ pathPrefix: '/etc', readOnly: false }, { pathPrefix: '/', readOnly: true });
    assert.equal(template.check(hostPathPod('/etc/ssl'), both).length, 1, 'any matching readOnly prefix demands readOnly');
  });

  it('does not read ephemeral containers', () => {
    const review = podReview({
      containers: [container('app')],
      ephemeralContainers: [container('debug', { volumeMounts: [{ name: 'host', mountPath: '/host' }] })],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    });
    assert.deepEqual(template.check(review, parameters), []);
  });

  it('skips volumes and mounts of excluded containers', () => {
    const review = podReview({
      containers: [
        container('agent', { volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }),
        container('app', { image: 'contoso.azurecr.io/app:1', volumeMounts: [{ name: 'etc', mountPath: '/etc' }] }),
        container('reader', { volumeMounts: [{ name: 'etc', mountPath: '/etc', readOnly: true }] }),
      ],
      volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }, { name: 'etc', hostPath: { path: '/etc' } }],
    });
    const excluding = { allowedHostPaths: [{ pathPrefix: '/etc', readOnly: true }], excludedContainers: ['agent'], excludedImages: ['contoso.azurecr.io/*'] };
    assert.deepEqual(template.check(review, excluding), []);
    assert.equal(template.check(review, { allowedHostPaths: [{ pathPrefix: '/etc', readOnly: true }] }).length, 2);
  });

  it('gives one violation per distinct volume', () => {
    const review = podReview({
      containers: [container('app', { volumeMounts: [{ name: 'a', mountPath: '/a' }, { name: 'b', mountPath: '/b' }] })],
      volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', hostPath: { path: '/b' } }],
    });
    assert.deepEqual(messages(template.check(review, parameters)), [
      'HostPath volume {"hostPath": {"path": "/a"}, "name": "a"} is not allowed, pod: demo. Allowed path: []',
      'HostPath volume {"hostPath": {"path": "/b"}, "name": "b"} is not allowed, pod: demo. Allowed path: []',
    ]);
  });

  it('skips pods pinned to Windows', () => {
    const review = hostPathPod('C:\\var\\lib\\kubelet');
    const spec = review.object.spec as JsonObject;
    spec.nodeSelector = { 'kubernetes.io/os': 'windows' };
    assert.deepEqual(template.check(review, parameters), []);
  });
});
