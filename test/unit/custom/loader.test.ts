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
    assert.deepEqual(definitions.map((candidate) => candidate.name).sort(), ['allowed-registries', 'required-team-label']);
    const definition = definitions.find((candidate) => candidate.name === 'required-team-label');
    assert.ok(definition);
    assert.equal(definition.template.name, 'k8srequiredteamlabel');
    assert.equal(definition.template.kind, 'K8sRequiredTeamLabel');
    const violations = definition.template.check(podReview({ app: 'web' }), { label: 'team' });
    assert.deepEqual(violations, [{ message: 'Pod web has no "team" label; every Pod must say which team owns it', culprits: [{ path: ['metadata', 'labels', 'team'], fallback: ['metadata', 'labels'] }] }]);
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

  it('loads the CEL template a definition names by path, and points at the image it read of the container its message names', () => {
    const root = workspace({});
    cpSync(EXAMPLE, root, { recursive: true });
    const { definitions, problems } = loadCustomDefinitions(root, PATTERNS);
    assert.deepEqual(problems, []);
    const definition = definitions.find((candidate) => candidate.name === 'allowed-registries');
    assert.ok(definition);
    assert.equal(definition.template.kind, 'K8sAllowedRegistries');
    const review = podReview({ app: 'shop' });
    review.object.spec = { containers: [{ name: 'web', image: 'mcr.microsoft.com/nginx' }, { name: 'sidecar', image: 'docker.io/busybox' }] };
    assert.deepEqual(definition.template.check(review, { registries: ['mcr.microsoft.com/'] }), [
      {
        message: 'container sidecar (docker.io/busybox) pulls from outside the allowed registries: mcr.microsoft.com/',
        culprits: [{ path: ['spec', 'containers', 1, 'image'] }],
      },
    ]);
    assert.deepEqual(definition.template.check(review, { registries: ['mcr.microsoft.com/', 'docker.io/'] }), []);
  });

  it('runs a template with Rego and CEL with the engine aksPolicy.templateEngine picks, CEL by default as Gatekeeper', () => {
    const both = templateYaml.replace(
      '      rego: |',
      [
        '      code:',
        '        - engine: K8sNativeValidation',
        '          source:',
        '            validations:',
        "              - expression: 'has(object.metadata.labels) && variables.params.label in object.metadata.labels'",
        '                messageExpression: \'"CEL: no " + variables.params.label + " label"\'',
        '      rego: |',
      ].join('\n'),
    );
    const root = workspace({ 'team.policy.json': definitionWithTemplatePath('team.yaml'), 'team.yaml': both });
    const messages = (engine: 'auto' | 'rego' | 'cel') => {
      const { definitions, problems } = loadCustomDefinitions(root, PATTERNS, engine);
      assert.deepEqual(problems, []);
      return definitions[0].template.check(podReview({ app: 'web' }), { label: 'team' }).map((violation) => violation.message);
    };
    assert.deepEqual(messages('auto'), ['CEL: no team label']);
    assert.deepEqual(messages('cel'), ['CEL: no team label']);
    assert.deepEqual(messages('rego'), ['Pod web has no "team" label; every Pod must say which team owns it']);
  });

  it('reports a CEL template under the rego engine, and a CEL expression that does not compile, naming the validation', () => {
    const root = workspace({});
    cpSync(EXAMPLE, root, { recursive: true });
    const underRego = loadCustomDefinitions(root, PATTERNS, 'rego');
    assert.deepEqual(underRego.definitions.map((definition) => definition.name), ['required-team-label']);
    assert.deepEqual(underRego.problems, [`${join(root, 'allowed-registries.policy.json')}: ConstraintTemplate k8sallowedregistries has no Rego code`]);

    const template = readFileSync(join(root, 'allowed-registries-template.yaml'), 'utf8');
    writeFileSync(join(root, 'allowed-registries-template.yaml'), template.replace("'size(variables.outsiders) == 0'", "'size(variables.outsiders) == '"));
    const broken = loadCustomDefinitions(root, PATTERNS);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0], /allowed-registries\.policy\.json: ConstraintTemplate k8sallowedregistries: CEL validations\[0\]\.expression does not compile: /);
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
    const loaded = loadCustomDefinitions(root, PATTERNS);
    assert.deepEqual([loaded.definitions, loaded.problems, loaded.fileProblems], [[], [], []]);
  });

  it('places each problem in its file: JSON syntax, a missing value, the url, the content, and the Rego line of a template file', () => {
    const badRego = templateYaml.replace('not input.review.object.metadata.labels[label]', 'not input.review.object.metadata.labels[label');
    const withBadRego = structuredClone(example);
    withBadRego.properties.policyRule.then.details.templateInfo.content = Buffer.from(badRego).toString('base64');
    const withoutThen = { properties: { mode: 'Microsoft.Kubernetes.Data', policyRule: { if: {}, else: 1 } } };
    const root = workspace({
      'bad-json.policy.json': '{\n  "properties": {\n    "mode": "Microsoft.Kubernetes.Data",\n  }\n}',
      'no-then.policy.json': JSON.stringify(withoutThen, null, 2),
      'bad-rego.policy.json': JSON.stringify(withBadRego, null, 2),
      'no-template.policy.json': JSON.stringify(JSON.parse(definitionWithTemplatePath('missing.yaml')), null, 2),
      'file-rego.policy.json': JSON.stringify(JSON.parse(definitionWithTemplatePath('templates/team.yaml')), null, 2),
      'templates/team.yaml': badRego,
    });
    const { fileProblems } = loadCustomDefinitions(root, PATTERNS);
    const at = (file: string) => fileProblems.filter((problem) => problem.file === join(root, file)).map((problem) => [problem.range.start.line, problem.message]);
    const lineOf = (file: string, text: string) => readFileSync(join(root, file), 'utf8').split('\n').findIndex((line) => line.includes(text));

    // The trailing comma is at the end of line 3 (0-based 2); strict JSON expects a property name after it, on line 4.
    assert.deepEqual(at('bad-json.policy.json'), [[3, 'not valid JSON: property name expected']]);
    assert.deepEqual(at('no-then.policy.json'), [[lineOf('no-then.policy.json', '"policyRule"'), 'policyRule.then is missing']]);
    const [[contentLine, contentMessage]] = at('bad-rego.policy.json');
    assert.equal(contentLine, lineOf('bad-rego.policy.json', '"content"'));
    assert.match(String(contentMessage), /rego_parse_error/);
    assert.deepEqual(at('no-template.policy.json'), [[lineOf('no-template.policy.json', '"url"'), 'the template missing.yaml (templateInfo.url) cannot be read']]);
    // A template file gets the error at the Rego's own line; the definition gets it on its url.
    assert.equal(at('file-rego.policy.json')[0][0], lineOf('file-rego.policy.json', '"url"'));
    const [[regoLine, regoMessage]] = at('templates/team.yaml');
    assert.equal(regoLine, lineOf('templates/team.yaml', 'metadata.labels[label') + 1);
    assert.match(String(regoMessage), /^rego_parse_error: /);
  });
});
