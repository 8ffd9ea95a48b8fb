import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { evaluateDocument } from '../../../server/src/engine/evaluate';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { pssAllowPrivilegeEscalation } from '../../../server/src/templates/pss/allowPrivilegeEscalation';
import { pssAppArmorProfile } from '../../../server/src/templates/pss/appArmorProfile';
import { pssCapabilitiesRestricted } from '../../../server/src/templates/pss/capabilities_restricted';
import { pssHostPorts } from '../../../server/src/templates/pss/hostPorts';
import { pssHostProbesAndHostLifecycle } from '../../../server/src/templates/pss/hostProbesAndHostLifecycle';
import { pssProcMount } from '../../../server/src/templates/pss/procMount';
import { pssProcMountRestricted } from '../../../server/src/templates/pss/procMount_restricted';
import { pssRestrictedVolumes } from '../../../server/src/templates/pss/restrictedVolumes';
import { pssRunAsNonRoot } from '../../../server/src/templates/pss/runAsNonRoot';
import { pssSeccompProfileRestricted } from '../../../server/src/templates/pss/seccompProfile_restricted';
import { pssSeLinuxOptions } from '../../../server/src/templates/pss/seLinuxOptions';
import { pssSysctls } from '../../../server/src/templates/pss/sysctls';
import { assertFixesClear, container, culpritPaths, messages, onlyViolation, podReview } from './support';

/** PSA has no parameters. */
const NONE = {};

describe('Pod Security Standards checks', () => {
  describe('wording', () => {
    it('names init containers first and keeps repeated names, as PSA visits them', () => {
      const review = podReview({
        containers: [container('app', { securityContext: { allowPrivilegeEscalation: true } })],
        initContainers: [container('setup'), container('setup')],
        ephemeralContainers: [container('debug')],
      });
      assert.deepEqual(messages(pssAllowPrivilegeEscalation.check(review, NONE)), [
        'allowPrivilegeEscalation != false (containers "setup", "setup", "app", "debug" must set securityContext.allowPrivilegeEscalation=false)',
      ]);
    });

    it('prints a missing name as "", as Go does, and a reason without parentheses when the detail is empty', () => {
      const review = podReview({ containers: [{ image: 'pause', securityContext: { procMount: 'Unmasked' } }] });
      assert.equal(onlyViolation(pssProcMount.check(review, NONE)).message, 'procMount (container "" must not set securityContext.procMount to "Unmasked")');
      const unnamedSysctl = podReview({ securityContext: { sysctls: [{ value: '1' }] }, containers: [] });
      assert.equal(onlyViolation(pssSysctls.check(unnamedSysctl, NONE)).message, 'forbidden sysctls');
    });
  });

  describe('hostPorts', () => {
    it('lists distinct ports sorted as strings, and offers no fix for ports that hostNetwork sets', () => {
      const review = podReview({
        hostNetwork: true,
        containers: [container('a', { ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 10250, hostPort: 10250 }] }), container('b', { ports: [{ containerPort: 80, hostPort: 80 }] })],
      });
      const violation = onlyViolation(pssHostPorts.check(review, NONE));
      assert.equal(violation.message, 'hostPort (containers "a", "b" use hostPorts 10250, 80)');
      assert.ok(violation.culprits.every((culprit) => culprit.fixes === undefined));
    });

    it('removes an explicit hostPort without hostNetwork', () => {
      const review = podReview({ containers: [container('a', { ports: [{ containerPort: 8080, hostPort: 8080 }] })] });
      const violation = onlyViolation(pssHostPorts.check(review, NONE));
      assert.deepEqual(assertFixesClear(pssHostPorts, review, NONE, violation), []);
    });
  });

  describe('appArmorProfile', () => {
    it('lists field types, then annotations sorted; the reason is plural for more than one value', () => {
      const prefix = 'container.apparmor.security.beta.kubernetes.io/';
      const review = podReview(
        { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [container('a', { securityContext: { appArmorProfile: {} } })] },
        { name: 'demo', annotations: { [`${prefix}z`]: 'unconfined', [`${prefix}a`]: 'localhost/ok', [`${prefix}b`]: 'bogus' } },
      );
      assert.equal(
        onlyViolation(pssAppArmorProfile.check(review, NONE)).message,
        `forbidden AppArmor profiles (pod and container "a" and annotations must not set AppArmor profile type to "", "Unconfined", "${prefix}b="bogus"", "${prefix}z="unconfined"")`,
      );
    });
  });

  describe('seLinuxOptions', () => {
    it('joins the forbidden types, user and role of the pod and its containers', () => {
      const review = podReview({
        securityContext: { seLinuxOptions: { type: 'spc_t', user: 'system_u' } },
        containers: [container('a', { securityContext: { seLinuxOptions: { type: 'unconfined_t', role: 'sysadm_r' } } }), container('b', { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } })],
      });
      const violation = onlyViolation(pssSeLinuxOptions.check(review, NONE));
      assert.equal(violation.message, 'seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: types "spc_t", "unconfined_t"; user may not be set; role may not be set)');
      assert.equal(violation.culprits.length, 4);
    });
  });

  describe('procMount', () => {
    const unmasked = { hostUsers: false, containers: [container('a', { securityContext: { procMount: 'Unmasked' } })] };

    it('baseline allows Unmasked in a user namespace; restricted does not', () => {
      assert.deepEqual(pssProcMount.check(podReview(unmasked), NONE), []);
      const violation = onlyViolation(pssProcMountRestricted.check(podReview(unmasked), NONE));
      assert.deepEqual(assertFixesClear(pssProcMountRestricted, podReview(unmasked), NONE, violation), []);
    });

    it('treats an empty procMount as set, and hostUsers: true or unset as no user namespace', () => {
      const review = podReview({ hostUsers: true, containers: [container('a', { securityContext: { procMount: '' } })] });
      assert.equal(onlyViolation(pssProcMount.check(review, NONE)).message, 'procMount (container "a" must not set securityContext.procMount to "")');
    });
  });

  describe('seccompProfile_restricted', () => {
    it('reports a forbidden type before containers that set none', () => {
      const review = podReview({ containers: [container('a', { securityContext: { seccompProfile: { type: 'Unconfined' } } }), container('b')] });
      assert.equal(onlyViolation(pssSeccompProfileRestricted.check(review, NONE)).message, 'seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")');
    });

    it('flags containers without a profile at their names, with one pod-level fix', () => {
      const review = podReview({ containers: [container('a'), container('b', { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } })] });
      const violation = onlyViolation(pssSeccompProfileRestricted.check(review, NONE));
      assert.equal(violation.message, 'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
      assert.deepEqual(violation.culprits.map((culprit) => culprit.fallback), [['spec', 'containers', 0, 'name']]);
      assert.deepEqual(assertFixesClear(pssSeccompProfileRestricted, review, NONE, violation), []);
    });

    it('exempts Windows pods by spec.os, not by nodeSelector', () => {
      assert.deepEqual(pssSeccompProfileRestricted.check(podReview({ os: { name: 'windows' }, containers: [container('a')] }), NONE), []);
      assert.equal(pssSeccompProfileRestricted.check(podReview({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [container('a')] }), NONE).length, 1);
    });
  });

  describe('runAsNonRoot', () => {
    it('reports explicit false before containers that inherit nothing', () => {
      const review = podReview({ securityContext: { runAsNonRoot: false }, containers: [container('a', { securityContext: { runAsNonRoot: false } }), container('b')] });
      const violation = onlyViolation(pssRunAsNonRoot.check(review, NONE));
      assert.equal(violation.message, 'runAsNonRoot != true (pod and container "a" must not set securityContext.runAsNonRoot=false)');
      assert.deepEqual(culpritPaths(violation), [
        ['spec', 'securityContext', 'runAsNonRoot'],
        ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'],
      ]);
    });

    it('offers to set it, never as the preferred fix: the image may need root', () => {
      const review = podReview({ containers: [container('a'), container('b')] });
      const violation = onlyViolation(pssRunAsNonRoot.check(review, NONE));
      assert.equal(violation.message, 'runAsNonRoot != true (pod or containers "a", "b" must set securityContext.runAsNonRoot=true)');
      assert.ok(violation.culprits.every((culprit) => culprit.fixes?.every((fix) => !fix.preferred)));
      assert.deepEqual(assertFixesClear(pssRunAsNonRoot, review, NONE, violation), []);
    });
  });

  describe('capabilities_restricted', () => {
    it('joins the missing drop and the forbidden additions with "; "', () => {
      const review = podReview({
        containers: [container('a', { securityContext: { capabilities: { drop: ['all'], add: ['NET_BIND_SERVICE', 'SYS_TIME', 'CHOWN'] } } }), container('b')],
      });
      assert.equal(
        onlyViolation(pssCapabilitiesRestricted.check(review, NONE)).message,
        'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; container "a" must not include "CHOWN", "SYS_TIME" in securityContext.capabilities.add)',
      );
    });

    it('drops ALL by setting the list, or by making its first entry ALL; an empty list gets no fix', () => {
      const review = podReview({
        containers: [
          container('none'),
          container('some', { securityContext: { capabilities: { drop: ['NET_RAW', 'SYS_ADMIN'] } } }),
          container('empty', { securityContext: { capabilities: { drop: [] } } }),
        ],
      });
      const violation = onlyViolation(pssCapabilitiesRestricted.check(review, NONE));
      assert.deepEqual(
        violation.culprits.map((culprit) => culprit.fixes?.[0]?.operations),
        [
          [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] }],
          [{ op: 'set', path: ['spec', 'containers', 1, 'securityContext', 'capabilities', 'drop', 0], value: 'ALL' }],
          undefined,
        ],
      );
    });
  });

  describe('restrictedVolumes', () => {
    it('names the first restricted source of each volume, and allows a volume without a source', () => {
      const review = podReview({
        containers: [container('a')],
        volumes: [{ name: 'plain' }, { name: 'mixed', hostPath: { path: '/' }, nfs: { server: 's', path: '/' } }, { name: 'share', nfs: { server: 's', path: '/' } }, { name: 'cfg', configMap: { name: 'c' } }],
      });
      const violation = onlyViolation(pssRestrictedVolumes.check(review, NONE));
      assert.equal(violation.message, 'restricted volume types (volumes "mixed", "share" use restricted volume types "hostPath", "nfs")');
      assert.deepEqual(culpritPaths(violation), [
        ['spec', 'volumes', 1, 'hostPath'],
        ['spec', 'volumes', 2, 'nfs'],
      ]);
    });

    it('treats a null source as absent, as Go decodes it', () => {
      assert.deepEqual(pssRestrictedVolumes.check(podReview({ containers: [container('a')], volumes: [{ name: 'v', hostPath: null, emptyDir: {} }] }), NONE), []);
    });
  });

  describe('hostProbesAndHostLifecycle', () => {
    it('lists containers and hosts as sorted sets', () => {
      const probe = (host: string) => ({ httpGet: { host, port: 80 } });
      const review = podReview({
        containers: [container('z', { livenessProbe: probe('b.example'), readinessProbe: probe('a.example') }), container('m', { lifecycle: { preStop: { tcpSocket: { host: 'a.example', port: 80 } } } })],
      });
      assert.equal(
        onlyViolation(pssHostProbesAndHostLifecycle.check(review, NONE)).message,
        'probe or lifecycle host (containers "m", "z" use probe or lifecycle hosts "a.example", "b.example")',
      );
    });
  });

  describe('sysctls', () => {
    it('lists forbidden names as written, repeats included', () => {
      const sysctls = [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_rmem', value: '1' }, { name: 'kernel.msgmax', value: '2' }];
      assert.equal(onlyViolation(pssSysctls.check(podReview({ securityContext: { sysctls }, containers: [] }), NONE)).message, 'forbidden sysctls (kernel.msgmax, kernel.msgmax)');
    });
  });

  describe('in the engine', () => {
    const catalog = loadCatalog();
    const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };

    it('prints the PSA message without the Azure prefix, in kube-system too, with the workload note', () => {
      const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: 'pss-baseline', effect: 'deny' });
      const manifest = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: agent, namespace: kube-system}',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: agent',
        '          image: pause',
        '          securityContext: {privileged: true}',
        '',
      ].join('\n');
      const findings = evaluateDocument(parseYamlDocument(manifest), policy, OPTIONS).findings;
      assert.deepEqual(
        findings.map((finding) => [finding.template, finding.referenceId, finding.message]),
        [['pss-privileged', 'privileged', 'privileged (container "agent" must not set securityContext.privileged=true) (the Deployment is accepted, but the Pods it creates will be rejected)']],
      );
    });
  });
});
