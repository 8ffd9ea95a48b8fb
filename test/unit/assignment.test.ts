import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAssignment } from '../../server/src/assignment';
import { loadCatalog, resolvePolicy } from '../../server/src/engine/catalog';
import { DEFAULT_SETTINGS, NO_INITIATIVE } from '../../server/src/settings';

const RESTRICTED = '42b8ef37-b724-4e24-bbc8-7a7708edfe00';

describe('applyAssignment', () => {
  it('takes the initiative, effect, namespaces and parameters of an az policy assignment show output', () => {
    const { settings, problems } = applyAssignment(
      DEFAULT_SETTINGS,
      {
        displayName: 'restricted on prod',
        policyDefinitionId: `/providers/Microsoft.Authorization/policySetDefinitions/${RESTRICTED}`,
        enforcementMode: 'Default',
        parameters: {
          effect: { value: 'Deny' },
          excludedNamespaces: { value: ['kube-system', 'monitoring'] },
          allowedCapabilities: { value: ['CHOWN'] },
        },
      },
      'assignment.json',
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.initiative, RESTRICTED);
    assert.equal(settings.effect, 'deny');
    assert.deepEqual(settings.excludedNamespaces, ['kube-system', 'monitoring']);
    assert.deepEqual(settings.parameters, { allowedCapabilities: ['CHOWN'] });
  });

  it('reads the ARM resource shape and honours DoNotEnforce', () => {
    const { settings } = applyAssignment(
      DEFAULT_SETTINGS,
      { properties: { policyDefinitionId: `/providers/Microsoft.Authorization/policySetDefinitions/${RESTRICTED}`, enforcementMode: 'DoNotEnforce', parameters: { effect: { value: 'deny' } } } },
      'a.json',
    );
    assert.equal(settings.effect, 'audit');
  });

  it('assigns a single definition without an initiative', () => {
    const { settings } = applyAssignment(
      { ...DEFAULT_SETTINGS, policies: { NoPrivilegedContainers: { effect: 'disabled', parameters: {} } } },
      { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/95edb821-ddaf-4404-9732-666045e056b4', parameters: { Effect: { value: 'Deny' }, excludedContainers: { value: ['istio-proxy'] } } },
      'a.json',
    );
    assert.equal(settings.initiative, NO_INITIATIVE);
    assert.deepEqual(settings.policies, { '95edb821-ddaf-4404-9732-666045e056b4': { effect: 'deny', parameters: { excludedContainers: ['istio-proxy'] } } });
  });

  it('resolves a single-definition assignment to just that constraint', () => {
    const { settings } = applyAssignment(
      DEFAULT_SETTINGS,
      { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/95edb821-ddaf-4404-9732-666045e056b4', parameters: { effect: { value: 'deny' } } },
      'a.json',
    );
    const policy = resolvePolicy(loadCatalog(), settings);
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.initiative.id, NO_INITIATIVE);
    assert.deepEqual(policy.constraints.map((c) => [c.template.name, c.effect]), [['k8sazurev2noprivilege', 'deny']]);
  });

  it('accepts a parameters file alone, for the configured initiative', () => {
    const { settings } = applyAssignment({ ...DEFAULT_SETTINGS, initiative: 'baseline' }, { effect: { value: 'deny' }, allowedHostPaths: { value: { paths: [] } } }, 'p.json');
    assert.equal(settings.initiative, 'baseline');
    assert.equal(settings.effect, 'deny');
    assert.deepEqual(settings.parameters, { allowedHostPaths: { paths: [] } });
  });

  it('reports what it cannot use and keeps the rest', () => {
    const { settings, problems } = applyAssignment(DEFAULT_SETTINGS, { policyDefinitionId: '/x/y', parameters: {} }, 'a.json');
    assert.equal(settings, DEFAULT_SETTINGS);
    assert.match(problems[0], /names neither a policy definition nor a policy set/);
    const bad = applyAssignment(DEFAULT_SETTINGS, { effect: { value: 'sometimes' }, namespaces: { value: 'prod' }, x: 1 }, 'p.json');
    assert.equal(bad.settings.effect, 'audit');
    assert.equal(bad.problems.length, 3);
    assert.match(applyAssignment(DEFAULT_SETTINGS, [1], 'a.json').problems[0], /expected the JSON of a policy assignment/);
  });
});
