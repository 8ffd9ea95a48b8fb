import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { catalogWithCustomDefinitions, findCustomPolicyFiles, loadCustomDefinitions } from '../../../server/src/custom/loader';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import type { Review } from '../../../server/src/templates/types';

const EXAMPLE = resolve(__dirname, '..', '..', '..', 'examples', 'custom');
const PATTERNS = DEFAULT_SETTINGS.customPolicyPaths;
type TemplateInfo = { sourceType: string; content?: string; url?: string };
const example = JSON.parse(readFileSync(join(EXAMPLE, 'required-team-label.policy.json'), 'utf8')) as { properties: { policyRule: { then: { details: { templateInfo: TemplateInfo } } } } };
const templateYaml = Buffer.from(example.properties.policyRule.then.details.templateInfo.content ?? '', 'base64').toString('utf8');

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-custom-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The example definition with its template given as a workspace path instead of base64. */
function definitionWithTemplatePath(url: string): string {
  const copy = structuredClone(example);
  copy.properties.policyRule.then.details.templateInfo = { sourceType: 'PublicURL', url };
  return JSON.stringify(copy);
}

function podReview(labels: Record<string, string>): Review {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  return { kind: { group: '', version: 'v1', kind: 'Pod' }, name: 'web', namespace: 'default', operation: 'CREATE', object };
}

describe('custom definitions', () => {
  it('loads a Base64Encoded Rego template and checks Pods with the definition values', () => {
    const root = workspace({});
    cpSync(EXAMPLE, root, { recursive: true });
    const { definitions, problems } = loadCustomDefinitions(root, PATTERNS);
    assert.deepEqual(problems, []);
    assert.equal(definitions.length, 1);
    const [definition] = definitions;
    assert.equal(definition.name, 'required-team-label');
    assert.equal(definition.template.name, 'k8srequiredteamlabel');
    assert.equal(definition.template.kind, 'K8sRequiredTeamLabel');
    const violations = definition.template.check(podReview({ app: 'web' }), { label: 'team' });
    assert.deepEqual(violations, [{ message: 'Pod web has no "team" label; every Pod must say which team owns it', culprits: [] }]);
    assert.deepEqual(definition.template.check(podReview({ team: 'payments' }), { label: 'team' }), []);
  });

  it('assigns a custom definition by its file name through aksPolicy.policies, with the parameter defaults resolved', () => {
    const root = workspace({});
    cpSync(EXAMPLE, root, { recursive: true });
    const { catalog, problems } = catalogWithCustomDefinitions(loadCatalog(), [root], PATTERNS);
    assert.deepEqual(problems, []);
    const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: 'none', policies: { 'required-team-label': { effect: 'deny', parameters: {} } } });
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.constraints.length, 1);
    const [constraint] = policy.constraints;
    assert.equal(constraint.effect, 'deny');
    assert.deepEqual(constraint.parameters, { label: 'team' });
    assert.deepEqual(constraint.match.kinds, [{ apiGroups: [''], kinds: ['Pod'] }]);
    assert.ok(constraint.match.excludedNamespaces.includes('kube-system'));
  });

  it('reads a template named by a relative path in the workspace, and refuses one on the network', () => {
    const root = workspace({
      'policies/team.policy.json': definitionWithTemplatePath('../templates/team.yaml'),
      'templates/team.yaml': templateYaml,
      'remote.policy.json': definitionWithTemplatePath('https://example.com/template.yaml'),
    });
    const { definitions, problems } = loadCustomDefinitions(root, PATTERNS);
    assert.deepEqual(definitions.map((definition) => definition.name), ['team']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /remote\.policy\.json: templateInfo\.url https:\/\/example\.com\/template\.yaml is on the network/);
  });

  it('reports bad JSON, a Rego parse error with its line, and a missing template, each naming its file', () => {
    const badRego = templateYaml.replace('not input.review.object.metadata.labels[label]', 'not input.review.object.metadata.labels[label');
    const withBadRego = structuredClone(example);
    withBadRego.properties.policyRule.then.details.templateInfo.content = Buffer.from(badRego).toString('base64');
    const root = workspace({
      'bad-json.policy.json': '{ "properties": ',
      'bad-rego.policy.json': JSON.stringify(withBadRego),
      'no-template.policy.json': definitionWithTemplatePath('missing.yaml'),
    });
    const { definitions, problems } = loadCustomDefinitions(root, PATTERNS);
    assert.deepEqual(definitions, []);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /bad-json\.policy\.json: not valid JSON/);
    assert.match(problems[1], /bad-rego\.policy\.json: templateInfo\.content \(rego\):\d+:\d+: rego_parse_error/);
    assert.match(problems[2], /no-template\.policy\.json: the template missing\.yaml \(templateInfo\.url\) cannot be read/);
  });

  it('ignores files that are no Kubernetes policy definition, dependency and hidden folders, quietly', () => {
    const root = workspace({
      'storage.policy.json': JSON.stringify({ properties: { mode: 'Indexed', policyRule: { if: {}, then: { effect: 'audit' } } } }),
      '.aks-policy/settings.json': JSON.stringify({ editor: true }),
      'node_modules/lib/x.policy.json': '{',
      '.git/x.policy.json': '{',
      'package.json': '{',
    });
    assert.deepEqual(findCustomPolicyFiles(root, PATTERNS), [join(root, '.aks-policy', 'settings.json'), join(root, 'storage.policy.json')]);
    assert.deepEqual(loadCustomDefinitions(root, PATTERNS), { definitions: [], problems: [] });
  });
});
