import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinTemplates, createTemplateRegistry, templateByName, templateByStoreUrl } from '../../../server/src/templates/index';
import { pssChecks } from '../../../server/src/templates/pss/index';
import type { ConstraintTemplate } from '../../../server/src/templates/types';

const STORE = 'https://store.policy.core.windows.net/kubernetes/';

describe('template registry', () => {
  it('holds the nine templates Baseline and Restricted use, first', () => {
    assert.deepEqual(builtinTemplates.slice(0, 9).map((template) => [template.name, template.kind, template.storeUrl.slice(STORE.length)]), [
      ['k8sazurev2noprivilege', 'K8sAzureV2NoPrivilege', 'container-no-privilege/v2/template.yaml'],
      ['k8sazurev3hostnetworkingports', 'K8sAzureV3HostNetworkingPorts', 'host-network-ports/v3/template.yaml'],
      ['k8sazurev2blockhostnamespace', 'K8sAzureV2BlockHostNamespace', 'block-host-namespace/v2/template.yaml'],
      ['k8sazurev3allowedcapabilities', 'K8sAzureV3AllowedCapabilities', 'container-allowed-capabilities/v3/template.yaml'],
      ['k8sazurev3hostfilesystem', 'K8sAzureV3HostFilesystem', 'allowed-host-paths/v3/template.yaml'],
      ['k8sazurev3noprivilegeescalation', 'K8sAzureV3NoPrivilegeEscalation', 'container-no-privilege-escalation/v3/template.yaml'],
      ['k8sazurev2volumetypes', 'K8sAzureV2VolumeTypes', 'allowed-volume-types/v2/template.yaml'],
      ['k8sazurev3allowedusersgroups', 'K8sAzureV3AllowedUsersGroups', 'allowed-users-groups/v3/template.yaml'],
      ['k8sazurev3allowedseccomp', 'K8sAzureV3AllowedSeccomp', 'allowed-seccomp-profiles/v3/template.yaml'],
    ]);
  });

  it('holds the 19 Pod Security Standards checks, named pss-<check id>, with PSA messages that carry no Gatekeeper prefix', () => {
    const pss = builtinTemplates.filter((template) => template.name.startsWith('pss-'));
    assert.deepEqual(pss, [...pssChecks]);
    assert.equal(pss.length, 19);
    for (const check of pssChecks) {
      assert.equal(check.name, `pss-${check.checkId}`);
      assert.equal(check.messagePrefix, '');
      assert.match(check.storeUrl, /^https:\/\/github\.com\/kubernetes\/pod-security-admission\/blob\/[0-9a-f]{40}\/policy\/check_\w+\.go$/);
      // PSA lets only restricted checks replace baseline ones.
      for (const replaced of check.overrides) {
        assert.equal(check.level, 'restricted');
        assert.equal(pssChecks.find((candidate) => candidate.checkId === replaced)?.level, 'baseline');
      }
    }
    assert.ok(builtinTemplates.every((template) => template.storeUrl.startsWith(STORE) || template.name.startsWith('pss-')));
  });

  it('finds templates by name and by store URL', () => {
    assert.equal(templateByName('k8sazurev2noprivilege')?.kind, 'K8sAzureV2NoPrivilege');
    assert.equal(templateByStoreUrl(`${STORE}allowed-seccomp-profiles/v3/template.yaml`)?.name, 'k8sazurev3allowedseccomp');
    assert.equal(templateByName('K8sAzureV2NoPrivilege'), undefined, 'names are exact');
    assert.equal(templateByStoreUrl(`${STORE}host-network-ports/v4/template.yaml`)?.name, 'k8sazurev4hostnetworkingports', 'another version is another template');
    assert.equal(templateByStoreUrl(`${STORE}host-network-ports/v5/template.yaml`), undefined);
  });

  it('cannot be changed through the exported list', () => {
    assert.ok(Object.isFrozen(builtinTemplates));
  });

  it('refuses two templates with the same name, kind or store URL', () => {
    const base: ConstraintTemplate = { name: 'a', kind: 'A', storeUrl: `${STORE}a/v1/template.yaml`, check: () => [] };
    assert.throws(() => createTemplateRegistry([base, { ...base, kind: 'B', storeUrl: `${STORE}b/v1/template.yaml` }]), /same name: a/);
    assert.throws(() => createTemplateRegistry([base, { ...base, name: 'b', storeUrl: `${STORE}b/v1/template.yaml` }]), /same kind: A/);
    assert.throws(() => createTemplateRegistry([base, { ...base, name: 'b', kind: 'B' }]), /same store URL/);
    assert.equal(createTemplateRegistry([base]).byName.get('a'), base);
  });
});
