import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CatalogError,
  catalogResult,
  compilePolicySchemas,
  findPoliciesDir,
  loadCatalog,
  resolvePolicy,
} from '../../../server/src/engine/catalog';
import type { ActiveConstraint, ResolvedPolicy } from '../../../server/src/engine/types';
import { isObject, type JsonObject, type JsonValue } from '../../../server/src/json';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from '../../../server/src/settings';
import { mutatorByUrl } from '../../../server/src/mutations/index';
import { templateByStoreUrl } from '../../../server/src/templates/index';
import { pssChecks } from '../../../server/src/templates/pss/index';

const policiesDir = join(__dirname, '..', '..', '..', 'policies');
const catalog = loadCatalog(policiesDir);

const BASELINE = 'a8640138-9b0a-4a28-b8cb-1666c838647d';
const RESTRICTED = '42b8ef37-b724-4e24-bbc8-7a7708edfe00';
const PSS_BASELINE = 'c41c74c5-9cdb-5427-be84-2ad013f909d6';
const PSS_RESTRICTED = 'fdd161a7-c419-5682-95d3-d22f83893385';
const CIS = '4fd005fd-51be-478f-a8fb-149d48b20d48';
const SAFEGUARDS = 'c047ea8e-9c78-49b2-958b-37e56d291a44';
const CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];
const DEFAULT_EXCLUDED = ['kube-system', 'gatekeeper-system', 'azure-arc', 'azure-extensions-usage-system'];
const GROUP_IDS = { rule: 'MustRunAs', ranges: [{ min: 1, max: 65535 }] };

function settingsWith(overrides: Partial<Settings>): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

function resolve(overrides: Partial<Settings> = {}): ResolvedPolicy {
  return resolvePolicy(catalog, settingsWith(overrides));
}

function member(policy: ResolvedPolicy, referenceId: string): ActiveConstraint {
  const constraint = policy.constraints.find((candidate) => candidate.referenceId === referenceId);
  assert.ok(constraint, `no constraint ${referenceId}`);
  return constraint;
}

function readJsonObject(file: string): JsonObject {
  const json: JsonValue = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(isObject(json), `${file} is not an object`);
  return json;
}

/** The JSON files of a policies/ folder and of its subfolders (definitions/pss/). */
function filesIn(folder: string): string[] {
  return readdirSync(join(policiesDir, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(policiesDir, folder, name));
}

describe('policy files and schemas', () => {
  const schemas = compilePolicySchemas(policiesDir);

  it('has the definitions and the initiatives', () => {
    assert.ok(filesIn('definitions').length >= 9 + 19);
    assert.deepEqual(filesIn('initiatives').map((file) => file.slice(file.lastIndexOf('/') + 1)).sort(), ['baseline.json', 'cis.json', 'pss-baseline.json', 'pss-restricted.json', 'restricted.json', 'safeguards.json']);
  });

  it('validates every definition against the definition schema', () => {
    for (const file of filesIn('definitions')) {
      assert.equal(schemas.validateDefinition(readJsonObject(file)), true, `${file}: ${JSON.stringify(schemas.validateDefinition.errors)}`);
    }
  });

  it('validates every initiative against the set definition schema', () => {
    for (const file of filesIn('initiatives')) {
      assert.equal(schemas.validateInitiative(readJsonObject(file)), true, `${file}: ${JSON.stringify(schemas.validateInitiative.errors)}`);
    }
  });

  it('rejects typical typos in a definition', () => {
    const breakages: [string, (properties: JsonObject) => void][] = [
      ['misspelt defaultValue', (p) => Object.assign(field(p, 'parameters', 'warn'), { default: false })],
      ['lower-case parameter type', (p) => Object.assign(field(p, 'parameters', 'warn'), { type: 'boolean' })],
      ['unknown effect', (p) => Object.assign(field(p, 'parameters', 'effect'), { defaultValue: 'Block' })],
      ['default of the wrong type', (p) => Object.assign(field(p, 'parameters', 'excludedImages'), { defaultValue: 'img' })],
      ['malformed expression', (p) => Object.assign(field(p, 'policyRule', 'then', 'details', 'values'), { excludedImages: "[parameter('excludedImages')]" })],
      ['missing templateInfo', (p) => delete field(p, 'policyRule', 'then', 'details').templateInfo],
      ['another mode', (p) => Object.assign(p, { mode: 'Indexed' })],
    ];
    for (const [what, breakIt] of breakages) {
      const json = readJsonObject(join(policiesDir, 'definitions', 'NoPrivilege.json'));
      breakIt(field(json, 'properties'));
      assert.equal(schemas.validateDefinition(json), false, what);
    }
  });

  it('takes a Pod Security Admission templateInfo only with the source of a check', () => {
    const pssDefinition = () => readJsonObject(join(policiesDir, 'definitions', 'pss', 'pss-privileged.json'));
    const templateInfo = (json: JsonObject) => field(json, 'properties', 'policyRule', 'then', 'details', 'templateInfo');
    assert.equal(schemas.validateDefinition(pssDefinition()), true);
    const storeUrl = pssDefinition();
    Object.assign(templateInfo(storeUrl), { url: 'https://store.policy.core.windows.net/kubernetes/container-no-privilege/v2/template.yaml' });
    assert.equal(schemas.validateDefinition(storeUrl), false, 'a store URL with sourceType PodSecurityAdmission');
    const publicUrl = pssDefinition();
    Object.assign(templateInfo(publicUrl), { sourceType: 'PublicURL' });
    assert.equal(schemas.validateDefinition(publicUrl), false, 'a check source with sourceType PublicURL');
  });

  it('rejects typical typos in an initiative', () => {
    const breakages: [string, (properties: JsonObject) => void][] = [
      ['member without definition id', (p) => delete firstMember(p).policyDefinitionId],
      ['bad version pin', (p) => Object.assign(firstMember(p), { definitionVersion: '9.x' })],
      ['parameter value without "value"', (p) => Object.assign(field(firstMember(p), 'parameters'), { effect: '[parameters(\'effect\')]' })],
      ['alias with capitals', (p) => Object.assign(field(p, 'metadata'), { aksPolicyAlias: 'Baseline' })],
    ];
    for (const [what, breakIt] of breakages) {
      const json = readJsonObject(join(policiesDir, 'initiatives', 'baseline.json'));
      breakIt(field(json, 'properties'));
      assert.equal(schemas.validateInitiative(json), false, what);
    }
  });
});

/** Every cross reference the loader relies on, read straight from the files. */
describe('catalog references (meta)', () => {
  const definitions = filesIn('definitions').map(readJsonObject);

  it('every initiative member names a definition in policies/definitions', () => {
    const known = new Set(definitions.map((definition) => definition.id));
    for (const file of filesIn('initiatives')) {
      const members = field(readJsonObject(file), 'properties').policyDefinitions;
      assert.ok(Array.isArray(members));
      for (const entry of members) {
        assert.ok(isObject(entry));
        assert.ok(known.has(entry.policyDefinitionId), `${file}: ${entry.policyDefinitionReferenceId} names an unknown definition ${entry.policyDefinitionId}`);
      }
    }
  });

  const details = (definition: JsonObject) => field(definition, 'properties', 'policyRule', 'then', 'details');
  const mutations = definitions.filter((definition) => isObject(details(definition).mutationInfo));

  it('every validation definition names a registered constraint template', () => {
    for (const definition of definitions.filter((candidate) => !mutations.includes(candidate))) {
      const url = field(definition, 'properties', 'policyRule', 'then', 'details', 'templateInfo').url;
      assert.equal(typeof url, 'string');
      const template = templateByStoreUrl(String(url));
      assert.ok(template, `${field(definition, 'properties').displayName}: no template registered for ${url}`);
      assert.equal(template.storeUrl, url);
    }
  });

  it('every mutation definition names a registered mutator, and only mutates or is disabled', () => {
    assert.equal(mutations.length, 19);
    for (const definition of mutations) {
      const url = field(details(definition), 'mutationInfo').url;
      const mutator = mutatorByUrl(String(url));
      assert.ok(mutator, `${field(definition, 'properties').displayName}: no mutator registered for ${url}`);
      assert.deepEqual(field(definition, 'properties', 'parameters', 'effect').allowedValues, ['Mutate', 'Disabled']);
    }
  });
});

describe('loadCatalog', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'aks-policy-catalog-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let copies = 0;

  /** A copy of policies/ with one file changed. */
  function brokenCopy(folder: string, name: string, change: (json: JsonObject) => void): string {
    const dir = join(scratch, String(copies++));
    cpSync(policiesDir, dir, { recursive: true });
    const file = join(dir, folder, name);
    const json = readJsonObject(file);
    change(json);
    writeFileSync(file, JSON.stringify(json));
    return dir;
  }

  function problemsOf(dir: string): string[] {
    try {
      loadCatalog(dir);
    } catch (error) {
      assert.ok(error instanceof CatalogError, String(error));
      return error.problems;
    }
    assert.fail('the catalog loaded');
  }

  it('finds policies/ from its own folder by default', () => {
    assert.equal(findPoliciesDir(), policiesDir);
    assert.equal(loadCatalog().initiatives.length, 6);
  });

  it('loads the initiatives and every definition file', () => {
    assert.deepEqual(catalog.initiatives.map((initiative) => [initiative.alias, initiative.guid, initiative.version, initiative.members.length]), [
      ['baseline', BASELINE, '1.4.0', 5],
      ['cis', CIS, '1.0.0-preview', 7],
      ['pss-baseline', PSS_BASELINE, '1.37.0', 12],
      ['pss-restricted', PSS_RESTRICTED, '1.37.0', 15],
      ['restricted', RESTRICTED, '2.5.0', 8],
      ['safeguards', SAFEGUARDS, '3.0.0', 27],
    ]);
    assert.equal(catalog.definitions.length + catalog.mutations.length, filesIn('definitions').length);
  });

  it('reports a schema error with its file', () => {
    const problems = problemsOf(brokenCopy('definitions', 'NoPrivilege.json', (json) => Object.assign(field(json, 'properties'), { versoin: '1.0.0' })));
    assert.equal(problems.length >= 1, true);
    assert.match(problems[0], /NoPrivilege\.json: \/properties must NOT have additional properties/);
  });

  it('reports a member naming an unknown definition', () => {
    const problems = problemsOf(
      brokenCopy('initiatives', 'baseline.json', (json) =>
        Object.assign(firstMember(field(json, 'properties')), { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/00000000-0000-0000-0000-000000000000' }),
      ),
    );
    assert.deepEqual(problems.map((problem) => problem.replace(/^.*baseline\.json: /, '')), [
      'member NoPrivilegedContainers names definition 00000000-0000-0000-0000-000000000000, which is not in policies/definitions.',
    ]);
  });

  it('reports a template that is not registered', () => {
    const problems = problemsOf(
      brokenCopy('definitions', 'NoPrivilege.json', (json) =>
        Object.assign(field(json, 'properties', 'policyRule', 'then', 'details', 'templateInfo'), { url: 'https://store.policy.core.windows.net/kubernetes/nothing/v1/template.yaml' }),
      ),
    );
    assert.ok(problems.some((problem) => /NoPrivilege\.json: no registered constraint template has the store URL .*nothing\/v1/.test(problem)), problems.join('\n'));
  });

  it('reports an expression naming an undeclared parameter, and a pin the definition does not satisfy', () => {
    const undeclared = problemsOf(
      brokenCopy('definitions', 'NoPrivilege.json', (json) => Object.assign(field(json, 'properties', 'policyRule', 'then', 'details', 'values'), { extra: "[parameters('nothing')]" })),
    );
    assert.ok(undeclared.some((problem) => problem.includes("[parameters('nothing')] names an undeclared parameter")), undeclared.join('\n'));
    const pinned = problemsOf(brokenCopy('initiatives', 'restricted.json', (json) => Object.assign(firstMember(field(json, 'properties')), { definitionVersion: '8.*.*' })));
    assert.ok(pinned.some((problem) => problem.includes('pins 8.*.*, but') && problem.includes('version 9.2.0')), pinned.join('\n'));
  });

  it('reports a fixed value that the definition refuses', () => {
    const problems = problemsOf(
      brokenCopy('initiatives', 'restricted.json', (json) => {
        const users = (field(json, 'properties').policyDefinitions as JsonObject[]).find((entry) => entry.policyDefinitionReferenceId === 'AllowedUsersGroups');
        assert.ok(users);
        Object.assign(field(users, 'parameters'), { runAsUserRule: { value: 'MustBeRoot' } });
      }),
    );
    assert.ok(problems.some((problem) => problem.includes('member AllowedUsersGroups passes runAsUserRule an invalid value: "MustBeRoot" is not one of')), problems.join('\n'));
  });
});

describe('loadCatalog: several versions of one definition', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'aks-policy-versions-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let copies = 0;
  const NO_PRIVILEGE = '95edb821-ddaf-4404-9732-666045e056b4';

  /** A copy of policies/ with NoPrivilege.json (9.2.0) also stored at other versions, under the given file names. */
  function withVersions(files: Record<string, string>): string {
    const dir = join(scratch, String(copies++));
    cpSync(policiesDir, dir, { recursive: true });
    for (const [name, version] of Object.entries(files)) {
      const json = readJsonObject(join(dir, 'definitions', 'NoPrivilege.json'));
      const properties = field(json, 'properties');
      Object.assign(properties, { version, versions: [version] });
      Object.assign(field(properties, 'metadata'), { version });
      writeFileSync(join(dir, 'definitions', name), JSON.stringify(json));
    }
    return dir;
  }

  function problemsOf(dir: string): string[] {
    try {
      loadCatalog(dir);
    } catch (error) {
      assert.ok(error instanceof CatalogError, String(error));
      return error.problems.map((problem) => problem.replaceAll(`${join(dir, 'definitions')}/`, '').replaceAll(`${join(dir, 'initiatives')}/`, ''));
    }
    assert.fail('the catalog loaded');
  }

  it('resolves an initiative pin to the newest version in it, and a definition assigned alone to the newest of all', () => {
    const versions = loadCatalog(withVersions({ 'NoPrivilege@9.3.0.json': '9.3.0', 'NoPrivilege@10.0.0.json': '10.0.0' }));
    assert.deepEqual(versions.definitions.filter((definition) => definition.guid === NO_PRIVILEGE).map((definition) => [definition.name, definition.version]), [
      ['NoPrivilege', '9.2.0'],
      ['NoPrivilege', '10.0.0'],
      ['NoPrivilege', '9.3.0'],
    ]);
    const policy = resolvePolicy(versions, settingsWith({ policies: { NoPrivilege: { parameters: {} }, [NO_PRIVILEGE]: { parameters: {} } } }));
    assert.deepEqual(policy.problems, []);
    assert.equal(member(policy, 'NoPrivilegedContainers').version, '9.3.0', 'Baseline pins 9.*.*');
    assert.equal(member(policy, 'NoPrivilege').version, '10.0.0');
    assert.equal(member(policy, NO_PRIVILEGE).version, '10.0.0');
  });

  it('assigns one stored version when the key names it after @', () => {
    const versions = loadCatalog(withVersions({ 'NoPrivilege@10.0.0.json': '10.0.0' }));
    const policy = resolvePolicy(versions, settingsWith({ policies: { 'noprivilege@9.2.0': { parameters: {} }, [`${NO_PRIVILEGE}@9.2.0`]: { parameters: {} } } }));
    assert.deepEqual(policy.problems, []);
    assert.equal(member(policy, 'noprivilege@9.2.0').version, '9.2.0');
    assert.equal(member(policy, `${NO_PRIVILEGE}@9.2.0`).version, '9.2.0');
    const unknown = resolvePolicy(versions, settingsWith({ policies: { 'NoPrivilege@8.0.0': { parameters: {} } } }));
    assert.equal(unknown.problems.length, 1);
    assert.match(unknown.problems[0], /^aksPolicy\.policies\.NoPrivilege@8\.0\.0: neither a member/);
  });

  it('orders a pre-release below its release, and lets a pre-release pin match', () => {
    const versions = loadCatalog(withVersions({ 'NoPrivilege@10.0.0-preview.json': '10.0.0-preview', 'NoPrivilege@9.10.0-preview.json': '9.10.0-preview' }));
    const policy = resolvePolicy(versions, settingsWith({ policies: { NoPrivilege: { parameters: {} } } }));
    assert.equal(member(policy, 'NoPrivilege').version, '10.0.0-preview');
    assert.equal(member(policy, 'NoPrivilegedContainers').version, '9.10.0-preview', 'numbers compare as numbers: 9.10 is above 9.2');
    const preview = loadCatalog(withVersions({ 'NoPrivilege@10.0.0.json': '10.0.0', 'NoPrivilege@10.1.0-preview.json': '10.1.0-preview' }));
    assert.equal(member(resolvePolicy(preview, settingsWith({ policies: { NoPrivilege: { parameters: {} } } })), 'NoPrivilege').version, '10.1.0-preview');
  });

  it('reports a repeated version, a file name that disagrees with its version, and names that mix definitions up', () => {
    assert.deepEqual(problemsOf(withVersions({ 'NoPrivilege@9.2.0.json': '9.2.0' })), [
      `NoPrivilege@9.2.0.json: definition ${NO_PRIVILEGE} 9.2.0 is also defined in NoPrivilege.json.`,
    ]);
    assert.deepEqual(problemsOf(withVersions({ 'NoPrivilege@9.3.0.json': '9.4.0' })), ['NoPrivilege@9.3.0.json: the file name says version 9.3.0, but the definition is version 9.4.0.']);
    assert.deepEqual(problemsOf(withVersions({ 'Privileged@10.0.0.json': '10.0.0' })), [
      `Privileged@10.0.0.json: definition ${NO_PRIVILEGE} is stored as NoPrivilege in NoPrivilege.json; name every version of it NoPrivilege@<version>.json.`,
    ]);
    const sameName = withVersions({});
    renameSync(join(sameName, 'definitions', 'AllowedSeccomp.json'), join(sameName, 'definitions', 'NoPrivilege@7.2.0.json'));
    assert.ok(
      problemsOf(sameName).includes(`NoPrivilege@7.2.0.json: NoPrivilege.json has the same name but is definition ${NO_PRIVILEGE}.`),
      'a name belongs to one definition',
    );
  });

  it('stores the current versions of Pod built-ins beside the versions Baseline and Restricted pin', () => {
    const BLOCK_HOST_NAMESPACE = '47a1ee2f-2a2a-4576-bf2a-e0e36709c2b8';
    const policy = resolve({
      policies: {
        HostNetworkPorts: { parameters: { allowedHostPorts: ['443', '8000-8100'] } },
        'HostNetworkPorts@6.2.0': { parameters: {} },
        [BLOCK_HOST_NAMESPACE]: { parameters: {} },
      },
    });
    assert.deepEqual(policy.problems, []);
    assert.equal(member(policy, 'BlockUsingHostNetwork').version, '6.2.0', 'Baseline pins 6.*.*');
    const hostPaths = member(policy, 'NoHostPathVolume');
    assert.deepEqual([hostPaths.version, hostPaths.template.name], ['6.2.0', 'k8sazurev3hostfilesystem'], 'Baseline keeps 6.2.0: the v4 template of 6.3.0 is not published');
    const current = member(policy, 'HostNetworkPorts');
    assert.deepEqual([current.version, current.template.name, current.parameters], [
      '7.0.0',
      'k8sazurev4hostnetworkingports',
      { allowHostNetwork: false, allowedHostPorts: ['443', '8000-8100'], excludedImages: [] },
    ]);
    assert.equal(member(policy, 'HostNetworkPorts@6.2.0').template.name, 'k8sazurev3hostnetworkingports');
    assert.equal(member(policy, BLOCK_HOST_NAMESPACE).template.name, 'k8sazurev3blockhostnamespace');
  });

  it('reports a pin that no stored version satisfies, listing the versions', () => {
    const dir = withVersions({ 'NoPrivilege@10.0.0.json': '10.0.0' });
    const file = join(dir, 'initiatives', 'baseline.json');
    const json = readJsonObject(file);
    Object.assign(firstMember(field(json, 'properties')), { definitionVersion: '8.*.*' });
    writeFileSync(file, JSON.stringify(json));
    assert.deepEqual(problemsOf(dir), ['baseline.json: member NoPrivilegedContainers pins 8.*.*, but NoPrivilege.json is version 9.2.0, NoPrivilege@10.0.0.json is version 10.0.0.']);
  });
});

describe('resolvePolicy: Baseline with the default settings', () => {
  const policy = resolve();

  it('resolves the initiative without problems', () => {
    assert.deepEqual(policy.problems, []);
    assert.deepEqual(policy.initiative, {
      id: BASELINE,
      alias: 'baseline',
      displayName: 'Kubernetes cluster pod security baseline standards for Linux-based workloads',
      version: '1.4.0',
    });
    assert.equal(policy.effect, 'audit');
  });

  it('has the 5 members with their pinned versions and templates', () => {
    assert.deepEqual(
      policy.constraints.map((constraint) => [constraint.referenceId, constraint.version, constraint.template.name]),
      [
        ['NoPrivilegedContainers', '9.2.0', 'k8sazurev2noprivilege'],
        ['BlockUsingHostNetwork', '6.2.0', 'k8sazurev3hostnetworkingports'],
        ['BlockUsingHostProcessIDAndIPC', '5.2.0', 'k8sazurev2blockhostnamespace'],
        ['ContainerCapabilities', '6.2.0', 'k8sazurev3allowedcapabilities'],
        ['NoHostPathVolume', '6.2.0', 'k8sazurev3hostfilesystem'],
      ],
    );
  });

  it('gives every member the initiative effect audit, NoPrivilege included (its own default is Deny)', () => {
    assert.deepEqual(new Set(policy.constraints.map((constraint) => constraint.effect)), new Set(['audit']));
  });

  it('fixes the capability list (with NET_RAW) and the host network values', () => {
    assert.deepEqual(member(policy, 'ContainerCapabilities').parameters, {
      allowedCapabilities: CAPABILITIES,
      requiredDropCapabilities: [],
      excludedContainers: [],
      excludedImages: [],
    });
    assert.deepEqual(member(policy, 'BlockUsingHostNetwork').parameters, {
      allowHostNetwork: false,
      minPort: 0,
      maxPort: 0,
      excludedContainers: [],
      excludedImages: [],
    });
  });

  it("passes allowedHostPaths' paths, and the definitions' own defaults elsewhere", () => {
    assert.deepEqual(member(policy, 'NoHostPathVolume').parameters, { allowedHostPaths: [], excludedContainers: [], excludedImages: [] });
    assert.deepEqual(member(policy, 'NoPrivilegedContainers').parameters, { excludedContainers: [], excludedImages: [] });
    assert.deepEqual(member(policy, 'BlockUsingHostProcessIDAndIPC').parameters, { excludedImages: [] });
  });

  it('matches Pods outside the excluded namespaces, from the Original source', () => {
    for (const constraint of policy.constraints) {
      assert.deepEqual(constraint.match, {
        kinds: [{ apiGroups: [''], kinds: ['Pod'] }],
        namespaces: [],
        excludedNamespaces: DEFAULT_EXCLUDED,
        labelSelector: {},
      });
      assert.equal(constraint.source, 'Original');
    }
  });

  it("links each member to its definition's portal page", () => {
    const constraint = member(policy, 'NoPrivilegedContainers');
    assert.equal(constraint.definitionId, '95edb821-ddaf-4404-9732-666045e056b4');
    assert.equal(constraint.displayName, 'Kubernetes cluster should not allow privileged containers');
    assert.equal(
      constraint.docsUrl,
      'https://portal.azure.com/#blade/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F95edb821-ddaf-4404-9732-666045e056b4',
    );
  });
});

describe('resolvePolicy: Restricted with the default settings', () => {
  const policy = resolve({ initiative: 'restricted' });

  it('has the 8 members with their pinned versions and templates', () => {
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.initiative.id, RESTRICTED);
    assert.deepEqual(
      policy.constraints.map((constraint) => [constraint.referenceId, constraint.version, constraint.template.name, constraint.effect]),
      [
        ['NoPrivilegedContainers', '9.2.0', 'k8sazurev2noprivilege', 'audit'],
        ['NoPrivilegeEscalation', '7.2.0', 'k8sazurev3noprivilegeescalation', 'audit'],
        ['BlockUsingHostNetwork', '6.2.0', 'k8sazurev3hostnetworkingports', 'audit'],
        ['BlockUsingHostProcessIDAndIPC', '5.2.0', 'k8sazurev2blockhostnamespace', 'audit'],
        ['ContainerCapabilities', '6.2.0', 'k8sazurev3allowedcapabilities', 'audit'],
        ['AllowedVolumeTypes', '5.2.0', 'k8sazurev2volumetypes', 'audit'],
        ['AllowedUsersGroups', '6.2.0', 'k8sazurev3allowedusersgroups', 'audit'],
        ['AllowedSeccompProfiles', '7.2.0', 'k8sazurev3allowedseccomp', 'audit'],
      ],
    );
  });

  it('reshapes the user and group parameters as Azure does', () => {
    assert.deepEqual(member(policy, 'AllowedUsersGroups').parameters, {
      runAsUser: { rule: 'MustRunAsNonRoot', ranges: [] },
      runAsGroup: GROUP_IDS,
      supplementalGroups: GROUP_IDS,
      fsGroup: GROUP_IDS,
      excludedContainers: [],
      excludedImages: [],
    });
  });

  it('maps allowedVolumeTypes to volumes, and fixes the seccomp profiles', () => {
    assert.deepEqual(member(policy, 'AllowedVolumeTypes').parameters, {
      volumes: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'],
      excludedImages: [],
    });
    assert.deepEqual(member(policy, 'AllowedSeccompProfiles').parameters, {
      allowedProfiles: ['runtime/default', 'docker/default'],
      excludedContainers: [],
      excludedImages: [],
    });
  });

  it("passes its capability parameters' defaults", () => {
    assert.deepEqual(member(policy, 'ContainerCapabilities').parameters.allowedCapabilities, CAPABILITIES);
    assert.deepEqual(member(policy, 'ContainerCapabilities').parameters.requiredDropCapabilities, []);
  });
});

describe('resolvePolicy: the Pod Security Standards profiles', () => {
  const baseline = resolve({ initiative: 'pss-baseline' });
  const restricted = resolve({ initiative: 'pss-restricted' });
  const templates = (policy: ResolvedPolicy) => policy.constraints.map((constraint) => [constraint.referenceId, constraint.template.name]);

  it('compose the levels as PSA does: restricted is baseline minus the checks it replaces, plus its own', () => {
    assert.deepEqual(baseline.problems, []);
    assert.deepEqual(restricted.problems, []);
    const replaced = new Set(pssChecks.flatMap((check) => check.overrides));
    const baselineChecks = pssChecks.filter((check) => check.level === 'baseline');
    const restrictedChecks = [...baselineChecks.filter((check) => !replaced.has(check.checkId)), ...pssChecks.filter((check) => check.level === 'restricted')];
    assert.deepEqual(templates(baseline), baselineChecks.map((check) => [check.checkId, check.name]));
    assert.deepEqual(templates(restricted), restrictedChecks.map((check) => [check.checkId, check.name]));
    assert.deepEqual([...replaced].sort(), ['capabilities_baseline', 'hostPathVolumes', 'procMount', 'seccompProfile_baseline']);
  });

  it('judge Pods in every namespace, kube-system included, and link to the standard', () => {
    for (const constraint of [...baseline.constraints, ...restricted.constraints]) {
      assert.deepEqual(constraint.match, { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaces: [], excludedNamespaces: [], labelSelector: {} });
      assert.equal(constraint.version, '1.37.0');
      assert.equal(constraint.source, 'Original');
      assert.match(constraint.docsUrl, /^https:\/\/kubernetes\.io\/docs\/concepts\/security\/pod-security-standards\/#(baseline|restricted)$/);
    }
    assert.equal(member(restricted, 'privileged').docsUrl.endsWith('#baseline'), true);
    assert.equal(member(restricted, 'runAsNonRoot').docsUrl.endsWith('#restricted'), true);
  });

  it('take the effect, namespaces and exemptNamespaces, and not the Azure exclusions', () => {
    const policy = resolve({ initiative: 'PSS-Restricted', effect: 'deny', excludedNamespaces: ['legacy'], namespaces: ['prod', 'team-*'], parameters: { exemptNamespaces: ['ci'] } });
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.effect, 'deny');
    for (const constraint of policy.constraints) {
      assert.equal(constraint.effect, 'deny');
      assert.deepEqual(constraint.match.namespaces, ['prod', 'team-*']);
      assert.deepEqual(constraint.match.excludedNamespaces, ['ci']);
      assert.deepEqual(constraint.parameters, {});
    }
  });
});

describe('resolvePolicy: the CIS Kubernetes benchmark (preview)', () => {
  const policy = resolve({ initiative: 'cis' });

  it('resolves each pin to the version Azure picks, with the CIS control in the reference id', () => {
    assert.deepEqual(policy.problems, []);
    assert.deepEqual(policy.initiative, { id: CIS, alias: 'cis', displayName: '[Preview]: Kubernetes cluster should follow the security control recommendations of Center for Internet Security (CIS) Kubernetes benchmark', version: '1.0.0-preview' });
    assert.deepEqual(
      policy.constraints.map((constraint) => [constraint.referenceId, constraint.version, constraint.template.name]),
      [
        ['CIS5.1.1-NoWildcardsInRoles', '1.1.0', 'k8sazurev1blockwildcardroles'],
        ['CIS5.1.3-NoClusterAdminRole', '1.1.0', 'k8sazurev1blockadminrolebindings'],
        ['CIS5.2.2-NoPrivilegedContainers', '9.2.0', 'k8sazurev2noprivilege'],
        ['CIS5.2.3-5.2.4-BlockUsingHostProcessIDAndIPC', '5.2.0', 'k8sazurev2blockhostnamespace'],
        ['CIS5.2.5-BlockUsingHostNetwork', '6.2.0', 'k8sazurev3hostnetworkingports'],
        ['CIS5.2.6-NoPrivilegeEscalation', '7.2.0', 'k8sazurev3noprivilegeescalation'],
        ['CIS5.2.12-NoHostPathVolume', '6.2.0', 'k8sazurev3hostfilesystem'],
      ],
    );
  });

  it('only audits: deny falls back to Audit with a problem', () => {
    assert.deepEqual(new Set(policy.constraints.map((constraint) => constraint.effect)), new Set(['audit']));
    const denied = resolve({ initiative: 'cis', effect: 'deny' });
    assert.deepEqual(denied.problems, ['aksPolicy.effect: "deny" is not one of "Audit", "Disabled"; using "Audit".']);
    assert.deepEqual(new Set(denied.constraints.map((constraint) => constraint.effect)), new Set(['audit']));
    assert.deepEqual(new Set(resolve({ initiative: 'cis', effect: 'disabled' }).constraints.map((constraint) => constraint.effect)), new Set(['disabled']));
  });

  it('passes excludedImages, labelSelector and allowedHostPaths, and fixes the host network at none', () => {
    const paths = [{ pathPrefix: '/var/log', readOnly: true }];
    const labelSelector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
    const tuned = resolve({ initiative: 'cis', parameters: { excludedImages: ['mcr.microsoft.com/oss/*'], labelSelector, allowedHostPaths: { paths } } });
    assert.deepEqual(tuned.problems, []);
    for (const constraint of tuned.constraints) {
      assert.deepEqual(constraint.match.labelSelector, labelSelector, constraint.referenceId);
      assert.deepEqual(constraint.match.excludedNamespaces, DEFAULT_EXCLUDED);
      if (constraint.template.name.startsWith('k8sazurev1block')) assert.deepEqual(constraint.parameters, {}, 'the RBAC rules take no image exclusions');
      else assert.deepEqual(constraint.parameters.excludedImages, ['mcr.microsoft.com/oss/*'], constraint.referenceId);
    }
    assert.deepEqual(member(tuned, 'CIS5.2.12-NoHostPathVolume').parameters.allowedHostPaths, paths);
    assert.deepEqual(member(tuned, 'CIS5.2.5-BlockUsingHostNetwork').parameters, { allowHostNetwork: false, minPort: 0, maxPort: 0, excludedContainers: [], excludedImages: ['mcr.microsoft.com/oss/*'] });
  });
});

describe('resolvePolicy: Deployment Safeguards', () => {
  /** The five parameters Safeguards has no default for, as an assignment of it must give them. */
  const ASSIGNED = { allowedUsers: [], allowedGroups: ['system:masters'], labels: ['kubernetes.azure.com'], allowedContainerImagesRegex: '^myregistry\\.azurecr\\.io/.+$', reservedTaints: ['CriticalAddonsOnly'] };
  const assigned = resolve({ initiative: 'safeguards', parameters: ASSIGNED });

  it('resolves every member to the current version its pin picks', () => {
    assert.deepEqual(assigned.problems, []);
    assert.deepEqual(assigned.initiative, { id: SAFEGUARDS, alias: 'safeguards', displayName: 'Deployment safeguards should help guide developers towards AKS recommended best practices', version: '3.0.0' });
    assert.deepEqual(
      assigned.constraints.map((constraint) => [constraint.referenceId, constraint.version, constraint.template.name]),
      [
        ['restrictedNodeEditsInKubernetesCluster', '1.3.1', 'k8sazurev1restrictednodeedits'],
        ['containerResourceRequests', '1.0.0-preview', 'k8sazurev1containerrequests'],
        ['podEnforceAntiaffinityInKubernetesCluster', '1.2.2', 'k8sazurev1antiaffinityrules'],
        ['restrictedLabelsInKubernetesCluster', '1.2.1', 'k8sazurev1restrictedlabels'],
        ['ensureAllowedContainerImagesInKubernetesCluster', '9.3.0', 'k8sazurev2containerallowedimages'],
        ['restrictedTaintsInKubernetesCluster', '1.2.1', 'k8sazurev1reservedtaints'],
        ['ensureProbesConfiguredInKubernetesCluster', '3.3.0', 'k8sazurev2containerenforceprobes'],
        ['ensureCsiDriverStorageClass', '2.3.0', 'k8sazurev1enforcecsidriver'],
        ['uniqueServiceSelectors', '1.2.2', 'k8sazurev1uniqueserviceselector'],
        ['imagesDoNotUseLatest', '2.0.1', 'k8sazurev2containernolatestimage'],
        ['printMutationsAnnotations', '1.2.1', 'k8sazurev1printmutationsannotations'],
        ['blockHostNamespaces', '6.0.0', 'k8sazurev3blockhostnamespace'],
        ['hostNetworkPorts', '7.0.0', 'k8sazurev4hostnetworkingports'],
        ['allowedSysctls', '1.0.0-preview', 'k8sazurev1allowedsysctls'],
        ['allowedUsersGroups', '6.2.0', 'k8sazurev3allowedusersgroups'],
        ['windowsBlockContainerAdmin', '1.2.0', 'k8sazurev1windowsblockcontaineradmin'],
        ['containerNoPrivilegeEscalation', '8.0.0', 'k8sazurev4noprivilegeescalation'],
        ['allowedHostPaths', '6.3.0', 'k8sazurev4hostfilesystem'],
        ['enforceAppArmorProfile', '6.2.1', 'k8sazurev3enforceapparmor'],
        ['enforceSELinux', '8.0.0', 'k8sazurev3selinux'],
        ['windowsBlockHostProcess', '1.0.0', 'k8sazurev1windowsblockhostprocess'],
        ['privilegedContainers', '9.2.0', 'k8sazurev2noprivilege'],
        ['allowedProcMountType', '8.2.0', 'k8sazurev4procmount'],
        ['containerAllowedCapabilities', '6.2.0', 'k8sazurev3allowedcapabilities'],
        ['allowedSeccompProfiles', '7.2.0', 'k8sazurev3allowedseccomp'],
        ['allowedVolumeTypes', '5.2.0', 'k8sazurev2volumetypes'],
      ],
    );
    assert.deepEqual(assigned.mutations?.map((mutation) => [mutation.referenceId, mutation.version, mutation.mutator.name, mutation.effect]), [
      ['mutateReservedSystemPoolTaints', '1.3.1', 'mutate-systempool-taints/v1', 'disabled'],
    ]);
  });

  it('passes source All to every member, and keeps its own three excluded namespaces', () => {
    for (const constraint of assigned.constraints) {
      assert.equal(constraint.source, 'All', constraint.referenceId);
      assert.deepEqual(constraint.match.excludedNamespaces, ['kube-system', 'gatekeeper-system', 'azure-arc'], constraint.referenceId);
    }
    assert.deepEqual(member(resolve({ initiative: 'safeguards', parameters: ASSIGNED, excludedNamespaces: ['legacy'] }), 'privilegedContainers').match.excludedNamespaces, ['legacy', 'kube-system', 'gatekeeper-system', 'azure-arc']);
  });

  it('passes its parameters, their defaults and the values it fixes', () => {
    assert.deepEqual(member(assigned, 'enforceSELinux').parameters.enforcePSS, true);
    assert.deepEqual(member(assigned, 'ensureProbesConfiguredInKubernetesCluster').parameters.enforceProbes, ['readinessProbe', 'livenessProbe']);
    assert.deepEqual(member(assigned, 'allowedSeccompProfiles').parameters.allowedProfiles, ['RuntimeDefault', 'Localhost']);
    assert.deepEqual(member(assigned, 'allowedUsersGroups').parameters.runAsUser, { rule: 'MustRunAsNonRoot', ranges: [] });
    assert.deepEqual(member(assigned, 'enforceAppArmorProfile').parameters.allowedProfiles, ['runtime/default']);
    assert.equal((member(assigned, 'allowedSysctls').parameters.allowedSysctls as JsonValue[]).length, 10);
    assert.deepEqual(member(assigned, 'hostNetworkPorts').parameters.allowedHostPorts, []);
    assert.deepEqual(member(assigned, 'ensureAllowedContainerImagesInKubernetesCluster').parameters.imageRegex, ASSIGNED.allowedContainerImagesRegex);
    assert.deepEqual(member(assigned, 'restrictedNodeEditsInKubernetesCluster').parameters, { allowedUsers: [], allowedGroups: ['system:masters'] });
    const tuned = resolve({ initiative: 'safeguards', parameters: { ...ASSIGNED, forcePrivilegeEscalationToBeFalse: true, allowedHostPorts: ['443'], requiredProbes: ['startupProbe'] } });
    assert.deepEqual(tuned.problems, []);
    assert.equal(member(tuned, 'containerNoPrivilegeEscalation').parameters.forcePrivilegeEscalationToBeFalse, true);
    assert.deepEqual(member(tuned, 'hostNetworkPorts').parameters.allowedHostPorts, ['443']);
    assert.deepEqual(member(tuned, 'ensureProbesConfiguredInKubernetesCluster').parameters.enforceProbes, ['startupProbe']);
  });

  it('asks for the five parameters without a default, using the definitions’ defaults and leaving out members that have none', () => {
    const unassigned = resolve({ initiative: 'safeguards' });
    assert.deepEqual(unassigned.problems, [
      'aksPolicy.parameters: set "allowedUsers", "allowedGroups", "labels", "allowedContainerImagesRegex", "reservedTaints"; the Deployment safeguards should help guide developers towards AKS recommended best practices initiative has no default for them, and Azure asks for them when it is assigned. Until then, its members use their definitions\' own defaults, and restrictedLabelsInKubernetesCluster, ensureAllowedContainerImagesInKubernetesCluster, restrictedTaintsInKubernetesCluster are not assigned.',
    ]);
    assert.equal(unassigned.constraints.length, 23);
    assert.deepEqual(member(unassigned, 'restrictedNodeEditsInKubernetesCluster').parameters.allowedGroups, ['system:node'], "CannotEditIndividualNodes' own default");
  });

  it('switches its mutation on with effectForMutationPolicies, and audits the mutation messages under Deny', () => {
    const enforced = resolve({ initiative: 'safeguards', effect: 'deny', parameters: { ...ASSIGNED, effectForMutationPolicies: 'mutate' } });
    assert.deepEqual(enforced.problems, []);
    assert.equal(enforced.mutations?.[0]?.effect, 'mutate');
    assert.equal(member(enforced, 'privilegedContainers').effect, 'deny');
    assert.equal(member(enforced, 'printMutationsAnnotations').effect, 'audit', 'the definition allows only Audit and Disabled');
    const refused = resolve({ initiative: 'safeguards', parameters: { ...ASSIGNED, effectForMutationPolicies: 'Audit' } });
    assert.deepEqual(refused.problems, ['aksPolicy.parameters.effectForMutationPolicies: "Audit" is not one of "Mutate", "Disabled"; using "Disabled".']);
  });
});

describe('resolvePolicy: choosing the initiative', () => {
  it('accepts the alias in any case, the GUID and the resource id', () => {
    for (const initiative of ['RESTRICTED', ` ${RESTRICTED} `, `/providers/Microsoft.Authorization/policySetDefinitions/${RESTRICTED}`]) {
      const policy = resolve({ initiative });
      assert.equal(policy.initiative.id, RESTRICTED, initiative);
      assert.deepEqual(policy.problems, []);
    }
  });

  it('falls back to baseline for an unknown initiative, and says so', () => {
    const policy = resolve({ initiative: 'strict' });
    assert.equal(policy.initiative.id, BASELINE);
    assert.deepEqual(policy.problems, ['aksPolicy.initiative: no initiative is called "strict" (known: baseline, cis, pss-baseline, pss-restricted, restricted, safeguards, or a GUID); using "baseline".']);
  });
});

describe('resolvePolicy: initiative settings', () => {
  it('passes the effect to every member, in any case', () => {
    const { settings } = normalizeSettings({ initiative: 'restricted', effect: 'Deny' });
    const policy = resolvePolicy(catalog, settings);
    assert.equal(policy.effect, 'deny');
    assert.deepEqual(new Set(policy.constraints.map((constraint) => constraint.effect)), new Set(['deny']));
    assert.deepEqual(new Set(resolve({ effect: 'disabled' }).constraints.map((constraint) => constraint.effect)), new Set(['disabled']));
  });

  it('passes namespaces, and always keeps the system namespaces excluded', () => {
    const policy = resolve({ excludedNamespaces: ['legacy', 'azure-arc'], namespaces: ['prod', 'team-*'] });
    assert.deepEqual(policy.problems, []);
    for (const constraint of policy.constraints) {
      assert.deepEqual(constraint.match.excludedNamespaces, ['legacy', 'azure-arc', 'kube-system', 'gatekeeper-system']);
      assert.deepEqual(constraint.match.namespaces, ['prod', 'team-*']);
    }
  });

  it("sets the initiative's other parameters from aksPolicy.parameters", () => {
    const paths = [{ pathPrefix: '/var/log', readOnly: true }];
    const baseline = resolve({ parameters: { allowedHostPaths: { paths } } });
    assert.deepEqual(baseline.problems, []);
    assert.deepEqual(member(baseline, 'NoHostPathVolume').parameters.allowedHostPaths, paths);

    const restricted = resolve({ initiative: 'restricted', parameters: { allowedCapabilities: ['CHOWN'], RequiredDropCapabilities: ['ALL'] } });
    assert.deepEqual(restricted.problems, []);
    assert.deepEqual(member(restricted, 'ContainerCapabilities').parameters.allowedCapabilities, ['CHOWN']);
    assert.deepEqual(member(restricted, 'ContainerCapabilities').parameters.requiredDropCapabilities, ['ALL']);
  });

  it('reports an unknown parameter, and one that only another initiative has', () => {
    const policy = resolve({ parameters: { allowedCapabilities: ['SYS_ADMIN'], hostPaths: {} } });
    assert.deepEqual(policy.problems, [
      'aksPolicy.parameters.allowedCapabilities: the Kubernetes cluster pod security baseline standards for Linux-based workloads initiative has no parameter "allowedCapabilities" (it has allowedHostPaths); ignored.',
      'aksPolicy.parameters.hostPaths: the Kubernetes cluster pod security baseline standards for Linux-based workloads initiative has no parameter "hostPaths" (it has allowedHostPaths); ignored.',
    ]);
    assert.deepEqual(member(policy, 'ContainerCapabilities').parameters.allowedCapabilities, CAPABILITIES);
  });

  it("reports a value that does not fit the parameter's schema or type, and keeps the default", () => {
    const policy = resolve({ parameters: { allowedHostPaths: { paths: [{ pathPrefix: '/data' }] } } });
    assert.equal(policy.problems.length, 1);
    assert.match(policy.problems[0], /^aksPolicy\.parameters\.allowedHostPaths: .* does not fit the parameter's schema \(.*readOnly.*\); using \{"paths":\[\]\}\.$/);
    assert.deepEqual(member(policy, 'NoHostPathVolume').parameters.allowedHostPaths, []);

    const restricted = resolve({ initiative: 'restricted', parameters: { allowedCapabilities: 'CHOWN' } });
    assert.deepEqual(restricted.problems, [`aksPolicy.parameters.allowedCapabilities: expected an array, got "CHOWN"; using ${JSON.stringify(CAPABILITIES)}.`]);
  });

  it('points parameters that have their own setting to it', () => {
    const policy = resolve({ parameters: { effect: 'Deny', NAMESPACES: ['a'] } });
    assert.deepEqual(policy.problems, [
      'aksPolicy.parameters.effect: set it with aksPolicy.effect instead; ignored.',
      'aksPolicy.parameters.NAMESPACES: set it with aksPolicy.namespaces instead; ignored.',
    ]);
    assert.equal(policy.effect, 'audit');
  });
});

describe('resolvePolicy: per-policy overrides', () => {
  it("overrides one member's effect and its definition's parameters", () => {
    const policy = resolve({
      policies: {
        NoPrivilegedContainers: {
          effect: 'disabled',
          parameters: {
            excludedContainers: ['istio-proxy'],
            excludedImages: ['mcr.microsoft.com/oss/*'],
            labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['legacy'] }] },
            source: 'all',
          },
        },
      },
    });
    assert.deepEqual(policy.problems, []);
    const constraint = member(policy, 'NoPrivilegedContainers');
    assert.equal(constraint.effect, 'disabled');
    assert.deepEqual(constraint.parameters, { excludedContainers: ['istio-proxy'], excludedImages: ['mcr.microsoft.com/oss/*'] });
    assert.deepEqual(constraint.match.labelSelector, { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['legacy'] }] });
    assert.equal(constraint.source, 'All');
    assert.equal(member(policy, 'ContainerCapabilities').effect, 'audit', 'other members keep the initiative effect');
  });

  it('may override a value the initiative fixes, with the allowed spelling', () => {
    const policy = resolve({ initiative: 'restricted', policies: { AllowedUsersGroups: { parameters: { runAsUserRule: 'mustrunas', runAsUserRanges: { ranges: [{ min: 1000, max: -1 }] } } } } });
    assert.deepEqual(policy.problems, []);
    assert.deepEqual(member(policy, 'AllowedUsersGroups').parameters.runAsUser, { rule: 'MustRunAs', ranges: [{ min: 1000, max: -1 }] });
  });

  it('reports bad overrides and ignores them', () => {
    const policy = resolve({
      policies: {
        NoPrivilegedContainers: { parameters: { excludedContainers: 'istio-proxy', labelSelector: { matchLabels: {} }, effect: 'deny', allowedCapabilities: [] } },
        BlockUsingHostNetwork: { parameters: { minPort: 80.5 } },
        AllowedSeccompProfiles: { effect: 'deny', parameters: {} },
      },
    });
    assert.deepEqual(policy.problems.map((problem) => problem.replace(/ \(.*\)/, ' (...)')), [
      'aksPolicy.policies.NoPrivilegedContainers.parameters.excludedContainers: expected an array, got "istio-proxy"; using [].',
      'aksPolicy.policies.NoPrivilegedContainers.parameters.labelSelector: {"matchLabels":{}} does not fit the parameter\'s schema (...); using {}.',
      'aksPolicy.policies.NoPrivilegedContainers.parameters.effect: set it with aksPolicy.policies.NoPrivilegedContainers.effect instead; ignored.',
      'aksPolicy.policies.NoPrivilegedContainers.parameters.allowedCapabilities: Kubernetes cluster should not allow privileged containers has no parameter "allowedCapabilities" (...); ignored.',
      'aksPolicy.policies.BlockUsingHostNetwork.parameters.minPort: expected a whole number, got 80.5; using 0.',
      'aksPolicy.policies.AllowedSeccompProfiles: neither a member of the Kubernetes cluster pod security baseline standards for Linux-based workloads initiative (...) nor a built-in definition\'s name or GUID; ignored.',
    ]);
    const constraint = member(policy, 'NoPrivilegedContainers');
    assert.equal(constraint.effect, 'audit');
    assert.deepEqual(constraint.parameters, { excludedContainers: [], excludedImages: [] });
    assert.deepEqual(member(policy, 'BlockUsingHostNetwork').parameters.minPort, 0);
  });

  it('assigns a built-in definition on its own when a key names it instead of a member', () => {
    const policy = resolve({ policies: { NoPrivilegeEscalation: { effect: 'deny', parameters: { excludedContainers: ['istio-proxy'] } } } });
    assert.deepEqual(policy.problems, []);
    const extra = member(policy, 'NoPrivilegeEscalation');
    assert.equal(extra.template.name, 'k8sazurev4noprivilegeescalation', 'the newest version stored');
    assert.equal(extra.effect, 'deny');
    assert.deepEqual(extra.parameters.excludedContainers, ['istio-proxy']);
    assert.equal(policy.constraints.length, 6);
    const byGuid = resolve({ policies: { '975ce327-682c-4f2e-aa46-b9598289b86c': { parameters: {} } } });
    assert.equal(member(byGuid, '975ce327-682c-4f2e-aa46-b9598289b86c').template.name, 'k8sazurev3allowedseccomp');
  });

  it('lists what the definition does have when a parameter is unknown', () => {
    const policy = resolve({ policies: { BlockUsingHostProcessIDAndIPC: { parameters: { excludedContainers: ['x'] } } } });
    assert.deepEqual(policy.problems, [
      'aksPolicy.policies.BlockUsingHostProcessIDAndIPC.parameters.excludedContainers: Kubernetes cluster containers should not share host process ID or host IPC namespace has no parameter "excludedContainers" (it has source, warn, excludedNamespaces, namespaces, labelSelector, excludedImages); ignored.',
    ]);
  });
});

describe('catalogResult', () => {
  it('lists the initiatives with their members, templates and documentation', () => {
    const result = catalogResult(catalog);
    assert.deepEqual(result.initiatives.map(({ id, alias, version, members }) => [id, alias, version, members.length]), [
      [BASELINE, 'baseline', '1.4.0', 5],
      [CIS, 'cis', '1.0.0-preview', 7],
      [PSS_BASELINE, 'pss-baseline', '1.37.0', 12],
      [PSS_RESTRICTED, 'pss-restricted', '1.37.0', 15],
      [RESTRICTED, 'restricted', '2.5.0', 8],
      [SAFEGUARDS, 'safeguards', '3.0.0', 27],
    ]);
    assert.deepEqual(result.initiatives[0].members[4], {
      referenceId: 'NoHostPathVolume',
      definitionId: '098fc59e-46c7-4d99-9b16-64990e543d75',
      displayName: 'Kubernetes cluster pod hostPath volumes should only use allowed host paths',
      version: '6.2.0',
      template: 'k8sazurev3hostfilesystem',
      docsUrl: 'https://portal.azure.com/#blade/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F098fc59e-46c7-4d99-9b16-64990e543d75',
    });
  });
});

/** The object at `keys` under `json`, failing the test when there is none. */
function field(json: JsonObject, ...keys: string[]): JsonObject {
  let node: JsonValue = json;
  for (const key of keys) {
    assert.ok(isObject(node) && isObject(node[key]), `no object at ${keys.join('.')}`);
    node = node[key];
  }
  assert.ok(isObject(node));
  return node;
}

function firstMember(properties: JsonObject): JsonObject {
  const members = properties.policyDefinitions;
  assert.ok(Array.isArray(members) && isObject(members[0]));
  return members[0];
}
