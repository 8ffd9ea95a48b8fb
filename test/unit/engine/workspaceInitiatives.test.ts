/**
 * Custom initiatives: policy sets of the workspace, in Azure's export format, that combine built-in definitions
 * with their own parameter values. Selectable like the built-ins, listed in the catalog answer, and every
 * problem in a file reported with the file's name, never thrown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogResult, loadCatalog, resolvePolicy, withWorkspaceInitiatives, type InitiativeSource } from '../../../server/src/engine/catalog';
import type { ActiveConstraint, ResolvedPolicy } from '../../../server/src/engine/types';
import type { JsonObject } from '../../../server/src/json';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/settings';

const catalog = loadCatalog();
const NO_PRIVILEGE = '/providers/Microsoft.Authorization/policyDefinitions/95edb821-ddaf-4404-9732-666045e056b4';
const HOST_NETWORK_PORTS = '/providers/Microsoft.Authorization/policyDefinitions/82985f06-dc18-4a48-bc1c-b9f4f0098cfe';
const ALLOWED_IMAGES = '/providers/Microsoft.Authorization/policyDefinitions/febd0533-8e55-448f-b837-bd0e06f16469';
const RUN_AS_NON_ROOT = '/providers/Microsoft.Authorization/policyDefinitions/2fe7ba7d-f670-41f5-8b70-b61dc7dfbe18';

/** `az policy set-definition show -o json` of a custom set: the resource flattened, under a subscription. */
const teamSet = {
  description: 'What the platform team assigns to every cluster.',
  displayName: 'Team baseline',
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/policySetDefinitions/team-baseline-set',
  metadata: { category: 'Kubernetes', createdBy: 'someone' },
  name: 'team-baseline-set',
  parameters: {
    effect: { type: 'String', allowedValues: ['Audit', 'Deny', 'Disabled'], defaultValue: 'Deny', metadata: { displayName: 'Effect' } },
    registry: { type: 'string', metadata: { displayName: 'Registry pattern' } },
  },
  policyDefinitionGroups: null,
  policyDefinitions: [
    { groupNames: null, parameters: { effect: { value: "[parameters('effect')]" } }, policyDefinitionId: NO_PRIVILEGE, policyDefinitionReferenceId: 'noPrivileged' },
    {
      parameters: { effect: { value: "[parameters('effect')]" }, allowHostNetwork: { value: false }, minPort: { value: 80 }, maxPort: { value: 443 } },
      policyDefinitionId: HOST_NETWORK_PORTS,
      definitionVersion: '6.*.*',
    },
    { parameters: { effect: { value: 'Audit' }, allowedContainerImagesRegex: { value: "[parameters('registry')]" } }, policyDefinitionId: ALLOWED_IMAGES, policyDefinitionReferenceId: 'images' },
    { parameters: {}, policyDefinitionId: RUN_AS_NON_ROOT, policyDefinitionReferenceId: 'nonRoot' },
  ],
  policyType: 'Custom',
  type: 'Microsoft.Authorization/policySetDefinitions',
};

function source(file: string, json: unknown): InitiativeSource {
  return { file, text: JSON.stringify(json) };
}

function resolveWith(extended: ReturnType<typeof withWorkspaceInitiatives>['catalog'], overrides: Partial<Settings>): ResolvedPolicy {
  return resolvePolicy(extended, { ...DEFAULT_SETTINGS, ...overrides });
}

function member(policy: ResolvedPolicy, referenceId: string): ActiveConstraint {
  const constraint = policy.constraints.find((candidate) => candidate.referenceId === referenceId);
  assert.ok(constraint, `no constraint ${referenceId}`);
  return constraint;
}

describe('withWorkspaceInitiatives', () => {
  const { catalog: extended, problems } = withWorkspaceInitiatives(catalog, [source('.aks-policy/initiatives/team.json', teamSet)]);

  it('reads Azure’s export of a custom set without problems, beside the built-ins', () => {
    assert.deepEqual(problems, []);
    assert.equal(extended.initiatives.length, catalog.initiatives.length + 1);
    assert.equal(catalog.initiatives.length, loadCatalog().initiatives.length, 'the catalog given is not changed');
  });

  it('is selectable by its name, its resource id or its file name, in any case', () => {
    for (const initiative of ['team-baseline-set', 'TEAM', teamSet.id]) {
      const policy = resolveWith(extended, { initiative, parameters: { registry: '^myregistry\\.azurecr\\.io/' } });
      assert.deepEqual(policy.problems, [], initiative);
      assert.deepEqual(policy.initiative, { id: 'team-baseline-set', alias: 'team', displayName: 'Team baseline', version: '1.0.0' });
    }
  });

  it('resolves members at their pins (the newest version without one), with its own parameter values', () => {
    const policy = resolveWith(extended, { initiative: 'team', effect: 'deny', parameters: { registry: '^myregistry\\.azurecr\\.io/' } });
    assert.deepEqual(
      policy.constraints.map((constraint) => [constraint.referenceId, constraint.version, constraint.template.name, constraint.effect]),
      [
        ['noPrivileged', '9.2.0', 'k8sazurev2noprivilege', 'deny'],
        ['HostNetworkPorts', '6.2.0', 'k8sazurev3hostnetworkingports', 'deny'],
        ['images', '9.3.0', 'k8sazurev2containerallowedimages', 'audit'],
      ],
    );
    assert.equal(policy.effect, 'deny');
    assert.equal(resolveWith(extended, { initiative: 'team', parameters: { registry: '.*' } }).effect, 'audit', 'aksPolicy.effect feeds the set’s effect parameter, as for every initiative');
    assert.deepEqual(member(policy, 'HostNetworkPorts').parameters, { allowHostNetwork: false, minPort: 80, maxPort: 443, excludedContainers: [], excludedImages: [] });
    assert.equal(member(policy, 'images').parameters.imageRegex, '^myregistry\\.azurecr\\.io/');
    assert.deepEqual(policy.mutations?.map((mutation) => [mutation.referenceId, mutation.effect]), [['nonRoot', 'mutate']]);
  });

  it('asks for a parameter without a default, as Azure does at assignment, and leaves out the member that needs it', () => {
    const policy = resolveWith(extended, { initiative: 'team' });
    assert.deepEqual(policy.problems, [
      'aksPolicy.parameters: set "registry"; the Team baseline initiative has no default for it, and Azure asks for it when it is assigned. Until then, its members use their definitions\' own defaults, and images is not assigned.',
    ]);
    assert.ok(!policy.constraints.some((constraint) => constraint.referenceId === 'images'));
  });

  it('is listed in the catalog answer, so that the pickers offer it', () => {
    const listed = catalogResult(extended).initiatives.find((initiative) => initiative.id === 'team-baseline-set');
    assert.deepEqual(
      listed && { alias: listed.alias, displayName: listed.displayName, members: listed.members.map((entry) => [entry.referenceId, entry.template]) },
      {
        alias: 'team',
        displayName: 'Team baseline',
        members: [
          ['noPrivileged', 'k8sazurev2noprivilege'],
          ['HostNetworkPorts', 'k8sazurev3hostnetworkingports'],
          ['images', 'k8sazurev2containerallowedimages'],
          ['nonRoot', 'mutate-run-as-non-root/v1'],
        ],
      },
    );
  });

  it('reads the resource with its properties, as the portal and ARM export it', () => {
    const { name, id, ...properties } = teamSet;
    const wrapped = withWorkspaceInitiatives(catalog, [source('sets/ops.initiative.json', { name: 'ops', id, properties: { ...properties, version: '2.1.0' } })]);
    assert.deepEqual(wrapped.problems, []);
    const policy = resolveWith(wrapped.catalog, { initiative: 'ops', parameters: { registry: '.*' } });
    assert.deepEqual(policy.initiative, { id: 'ops', alias: 'ops', displayName: 'Team baseline', version: '2.1.0' });
    assert.equal(name, 'team-baseline-set');
  });
});

describe('withWorkspaceInitiatives: files with problems', () => {
  const set = (policyDefinitions: JsonObject[], parameters: JsonObject = {}) => ({ name: 'broken', properties: { displayName: 'Broken', parameters, policyDefinitions } });

  it('ignores JSON that is no policy set, quietly', () => {
    const result = withWorkspaceInitiatives(catalog, [
      source('package.json', { name: 'app', version: '1.0.0' }),
      source('.aks-policy/required-labels.json', { properties: { mode: 'Microsoft.Kubernetes.Data', policyRule: {} } }),
      source('list.initiative.json', [1, 2]),
    ]);
    assert.deepEqual(result.problems, []);
    assert.equal(result.catalog.initiatives.length, catalog.initiatives.length);
  });

  it('reports a file that is not JSON', () => {
    const result = withWorkspaceInitiatives(catalog, [{ file: 'team.initiative.json', text: '{ "policyDefinitions": [' }]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /^team\.initiative\.json: not valid JSON \(.+\); ignored\.$/);
  });

  it('reports a member that names an unknown definition, and keeps the others', () => {
    const result = withWorkspaceInitiatives(catalog, [
      source('broken.initiative.json', set([{ policyDefinitionId: '/subscriptions/x/providers/Microsoft.Authorization/policyDefinitions/my-custom-rule', parameters: {} }, { policyDefinitionId: NO_PRIVILEGE }, { policyDefinitionReferenceId: 'nothing' }])),
    ]);
    assert.deepEqual(result.problems, [
      'broken.initiative.json: member my-custom-rule names definition my-custom-rule, which is neither a built-in definition nor one of the workspace; left out.',
      'broken.initiative.json: policyDefinitions[2] names no policy definition (policyDefinitionId ".../policyDefinitions/<id>"); left out.',
    ]);
    assert.deepEqual(resolveWith(result.catalog, { initiative: 'broken' }).constraints.map((constraint) => constraint.referenceId), ['NoPrivilege']);
  });

  it('reports bad parameters: an unknown one, a refused value, an expression it cannot evaluate, a type it does not know', () => {
    const result = withWorkspaceInitiatives(catalog, [
      source(
        'broken.initiative.json',
        set(
          [
            { policyDefinitionId: NO_PRIVILEGE, policyDefinitionReferenceId: 'a', parameters: { effect: { value: 'Block' } } },
            { policyDefinitionId: NO_PRIVILEGE, policyDefinitionReferenceId: 'b', parameters: { nothing: { value: 1 }, excludedImages: { value: "[concat('a', 'b')]" } } },
            { policyDefinitionId: NO_PRIVILEGE, policyDefinitionReferenceId: 'c', definitionVersion: 'latest', parameters: { excludedContainers: 'istio-proxy' } },
          ],
          { ratio: { type: 'Float', defaultValue: 0.5 } },
        ),
      ),
    ]);
    assert.deepEqual(result.problems, [
      'broken.initiative.json: parameter ratio has type "Float", not one of String, Array, Object, Boolean, Integer; ignored.',
      'broken.initiative.json: member c pins "latest", not a version such as 1.*.*; using the newest version.',
      'broken.initiative.json: member c passes excludedContainers without a "value"; ignored.',
      `broken.initiative.json: member b passes nothing, which ${catalog.definitions.find((definition) => definition.name === 'NoPrivilege')?.file} does not declare.`,
      "broken.initiative.json: member b parameter excludedImages: [concat('a', 'b')] is not an expression we evaluate (only [parameters('name')] and [parameters('name').property]).",
    ]);
    assert.equal(result.catalog.initiatives.length, catalog.initiatives.length + 1, 'what can be assigned of it still is');
  });

  it('reports a literal value that the definition refuses', () => {
    const result = withWorkspaceInitiatives(catalog, [source('broken.initiative.json', set([{ policyDefinitionId: NO_PRIVILEGE, policyDefinitionReferenceId: 'a', parameters: { effect: { value: 'Block' } } }]))]);
    assert.deepEqual(result.problems, ['broken.initiative.json: member a passes effect an invalid value: "Block" is not one of "audit", "deny", "disabled"; using "Deny".'.replace(/; using "Deny"\.$/, '.')]);
  });

  it('ignores a set that takes a built-in initiative’s name, or of which nothing can be assigned', () => {
    const result = withWorkspaceInitiatives(catalog, [
      source('baseline.initiative.json', set([{ policyDefinitionId: NO_PRIVILEGE }])),
      source('empty.initiative.json', { name: 'empty', policyDefinitions: [{ policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/unknown' }] }),
    ]);
    assert.deepEqual(result.problems, [
      'baseline.initiative.json: initiative broken (file name baseline) takes the name of Kubernetes cluster pod security baseline standards for Linux-based workloads; ignored.',
      'empty.initiative.json: member unknown names definition unknown, which is neither a built-in definition nor one of the workspace; left out.',
      'empty.initiative.json: no member of initiative empty can be assigned; ignored.',
    ]);
    assert.equal(result.catalog.initiatives.length, catalog.initiatives.length);
  });
});
