import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { catalogWithGatekeeperPolicies, effectOfEnforcementAction, loadGatekeeperPolicies } from '../../../server/src/custom/constraints';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { analyzeFiles } from '../../../server/src/model/cache';
import { DEFAULT_SETTINGS, evaluationOptions, type Settings } from '../../../server/src/settings';

const PATTERNS = DEFAULT_SETTINGS.constraintTemplatePaths;

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels

        violation[{"msg": msg}] {
          provided := {label | input.review.object.metadata.labels[label]}
          required := {label | label := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("you must provide labels: %v", [missing])
        }
`;

function constraint(name: string, spec: string): string {
  return `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aks-policy-gatekeeper-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The findings' messages per file for `files`, with the workspace's constraints assigned as `policies` says. */
function findings(root: string, policies: Settings['policies'], files: string[]): string[][] {
  const { catalog, problems } = catalogWithGatekeeperPolicies(loadCatalog(), [root], PATTERNS);
  assert.deepEqual(problems, []);
  const settings: Settings = { ...DEFAULT_SETTINGS, initiative: 'none', policies };
  const policy = resolvePolicy(catalog, settings);
  assert.deepEqual(policy.problems, []);
  const analyzed = analyzeFiles(files.map((file) => readFileSync(join(root, file), 'utf8')), policy, evaluationOptions(settings));
  return analyzed.map((documents) => documents.flatMap((document) => document.verdict.findings.map((finding) => `${finding.effect} ${finding.message}`)));
}

const POD = (labels: string, namespace = 'default') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: ${namespace}\n  labels: {${labels}}\nspec:\n  containers:\n    - name: web\n      image: nginx\n`;

describe('Gatekeeper templates and constraints of the workspace', () => {
  it('makes each constraint a definition with its parameters, match and enforcement action, and prefixes messages with its name', () => {
    const root = workspace({
      'library/requiredlabels/template.yaml': TEMPLATE,
      'library/requiredlabels/samples/owner/constraint.yaml': constraint(
        'must-have-owner',
        '  enforcementAction: dryrun\n  match:\n    kinds:\n      - apiGroups: [""]\n        kinds: ["Pod"]\n    excludedNamespaces: ["legacy"]\n  parameters:\n    labels: ["owner"]\n',
      ),
      'pods/no-owner.yaml': POD('app: web'),
      'pods/legacy.yaml': POD('app: web', 'legacy'),
      'pods/owned.yaml': POD('owner: me'),
    });
    const loaded = loadGatekeeperPolicies(root, PATTERNS);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.definitions.map((definition) => [definition.name, definition.guid, definition.template.name]), [['must-have-owner', 'k8srequiredlabels.must-have-owner', 'k8srequiredlabels']]);
    assert.equal(loaded.sources.length, 2);

    const files = ['pods/no-owner.yaml', 'pods/legacy.yaml', 'pods/owned.yaml'];
    // dryrun reports without denying: audit.
    assert.deepEqual(findings(root, { 'must-have-owner': { parameters: {} } }, files), [['audit [must-have-owner] you must provide labels: {"owner"}'], [], []]);
    // aksPolicy.policies may change the effect and the constraint's own parameters.
    assert.deepEqual(findings(root, { 'must-have-owner': { effect: 'deny', parameters: { labels: ['owner', 'team'] } } }, files.slice(2)), [['deny [must-have-owner] you must provide labels: {"team"}']]);
  });

  it('applies the exact kind pairs, namespaceSelector with the Namespace applied beside, and never judges Gatekeeper objects', () => {
    const root = workspace({
      '.aks-policy/labels.yaml': `${TEMPLATE}---\n${constraint('everything', '  parameters:\n    labels: ["owner"]\n')}---\n${constraint(
        'selected',
        '  match:\n    kinds:\n      - apiGroups: ["apps"]\n        kinds: ["Deployment"]\n      - apiGroups: [""]\n        kinds: ["Pod"]\n    namespaceSelector:\n      matchLabels: {strict: "true"}\n  parameters:\n    labels: ["team"]\n',
      )}`,
      'strict.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: strict\n  labels: {strict: "true", owner: me}\n---\n${POD('owner: me', 'strict')}`,
      'lax.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lax\n  labels: {owner: me}\n---\n${POD('owner: me', 'lax')}`,
    });
    const all = { everything: { parameters: {} }, selected: { parameters: {} } };
    assert.deepEqual(findings(root, all, ['strict.yaml', 'lax.yaml', '.aks-policy/labels.yaml']), [
      ['deny [selected] you must provide labels: {"team"}'],
      [],
      // The template and the constraints are the policy: even a constraint on every kind leaves them alone.
      [],
    ]);
  });

  it('reports a constraint without its template and a broken template at their places; other YAML is ignored quietly', () => {
    const broken = TEMPLATE.replace('count(missing) > 0', 'count(missing) > 0 )');
    const root = workspace({
      'a/template.yaml': broken,
      'a/constraint.yaml': constraint('owner', '  parameters:\n    labels: ["owner"]\n'),
      'b/constraint.yaml': 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sUnknown\nmetadata:\n  name: lost\n',
      'c/template.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-gatekeeper\n',
      'd/template.yaml': 'this: is: not: yaml: [',
    });
    const loaded = loadGatekeeperPolicies(root, PATTERNS);
    assert.deepEqual(loaded.definitions, []);
    const placed = loaded.fileProblems.map((problem) => [problem.file.slice(root.length + 1), problem.range.start.line, problem.message.split(':')[0]]);
    assert.deepEqual(placed, [
      ['a/template.yaml', broken.split('\n').findIndex((line) => line.includes('count(missing) > 0 )')), 'rego_parse_error'],
      ['b/constraint.yaml', 1, 'no ConstraintTemplate of kind K8sUnknown is in aksPolicy.constraintTemplatePaths; constraint lost is not loaded'],
    ]);
    assert.equal(loaded.problems.length, 2);
  });

  it('maps enforcement actions to effects', () => {
    assert.equal(effectOfEnforcementAction({}), 'Deny');
    assert.equal(effectOfEnforcementAction({ enforcementAction: 'deny' }), 'Deny');
    assert.equal(effectOfEnforcementAction({ enforcementAction: 'dryrun' }), 'Audit');
    assert.equal(effectOfEnforcementAction({ enforcementAction: 'warn' }), 'Audit');
    assert.equal(effectOfEnforcementAction({ enforcementAction: 'scoped', scopedEnforcementActions: [{ action: 'warn' }] }), 'Audit');
    assert.equal(effectOfEnforcementAction({ enforcementAction: 'scoped', scopedEnforcementActions: [{ action: 'deny' }] }), 'Deny');
  });
});
