/**
 * The inventory: templates that read Gatekeeper's `data.inventory` see the other objects applied with a
 * document (its file; for the CLI, every file), and a verdict that read them is judged again when they change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { buildInventory, evaluateDocument } from '../../../server/src/engine/evaluate';
import type { ResolvedPolicy } from '../../../server/src/engine/types';
import { analyzeFiles, FileAnalyzer, verdictOf, type AnalyzedDocument } from '../../../server/src/model/cache';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';

const catalog = loadCatalog();
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };

/** Baseline, plus one definition assigned on its own under Deny. */
function policyWith(definition: string): ResolvedPolicy {
  return resolvePolicy(catalog, { ...DEFAULT_SETTINGS, policies: { [definition]: { effect: 'deny', parameters: {} } } });
}

const uniqueSelectors = policyWith('UniqueServiceSelectors');

const service = (name: string, port: number) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  selector: {app: web}
  ports: [{port: ${port}}]
`;

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data: {mode: ${value}}
`;

const messagesOf = (documents: readonly AnalyzedDocument[]) => documents.map((document) => document.verdict.findings.map((finding) => finding.message));

describe('inventory', () => {
  it('lets a template see the other documents of the file', () => {
    const documents = new FileAnalyzer().analyze(`${service('web', 80)}---\n${service('web-preview', 80)}`, uniqueSelectors, OPTIONS);
    assert.deepEqual(messagesOf(documents), [
      ['[azurepolicy-k8sazurev1uniqueserviceselector] same selector as service <web-preview> in namespace <shop> with overlapping ports.'],
      ['[azurepolicy-k8sazurev1uniqueserviceselector] same selector as service <web> in namespace <shop> with overlapping ports.'],
    ]);
  });

  it('judges a verdict that read the inventory again when another document changes, and keeps the others', () => {
    const analyzer = new FileAnalyzer();
    const before = analyzer.analyze(`${service('web', 80)}---\n${configMap('a')}---\n${service('web-preview', 80)}`, uniqueSelectors, OPTIONS);
    const after = analyzer.analyze(`${service('web', 80)}---\n${configMap('a')}---\n${service('web-preview', 8080)}`, uniqueSelectors, OPTIONS);
    assert.deepEqual(messagesOf(after), [[], [], []], 'the first Service no longer collides, though its text did not change');
    assert.notEqual(after[0]?.verdict, before[0]?.verdict);
    assert.equal(after[1]?.verdict, before[1]?.verdict, 'a document no template read the inventory for keeps its verdict');
    const again = analyzer.analyze(`${service('web', 80)}---\n${configMap('a')}---\n${service('web-preview', 8080)}`, uniqueSelectors, OPTIONS);
    assert.equal(again[0]?.verdict, after[0]?.verdict, 'an unchanged file is not judged again');
  });

  it('builds no inventory, and keys no verdict on one, when no active template reads it', () => {
    const documents = new FileAnalyzer().analyze(`${service('web', 80)}---\n${service('web-preview', 80)}`, policyWith('LoadbalancerNoPublicIPs'), OPTIONS);
    assert.ok(documents.every((document) => document.verdict.inventory === undefined));
    const disabled = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, policies: { UniqueServiceSelectors: { effect: 'disabled', parameters: {} } } });
    assert.deepEqual(messagesOf(new FileAnalyzer().analyze(`${service('web', 80)}---\n${service('web-preview', 80)}`, disabled, OPTIONS)), [[], []]);
  });

  it('judges again a verdict made without the other documents once they are given', () => {
    const entry = { parsed: parseYamlDocument(service('web', 80)) };
    const alone = verdictOf(entry, uniqueSelectors, OPTIONS);
    assert.deepEqual(alone.findings, []);
    const inventory = buildInventory([entry.parsed, parseYamlDocument(service('web-preview', 80))], 'default');
    assert.equal(verdictOf(entry, uniqueSelectors, OPTIONS, inventory).findings.length, 1);
  });

  it('spans every file the CLI checks, in the order given', () => {
    const files = analyzeFiles([service('web', 80), `${configMap('a')}---\n${service('web-preview', 80)}`], uniqueSelectors, OPTIONS);
    assert.deepEqual(files.map(messagesOf), [
      [['[azurepolicy-k8sazurev1uniqueserviceselector] same selector as service <web-preview> in namespace <shop> with overlapping ports.']],
      [[], ['[azurepolicy-k8sazurev1uniqueserviceselector] same selector as service <web> in namespace <shop> with overlapping ports.']],
    ]);
  });

  it('tells a template which objects were applied before the one under review', () => {
    const node = (tier: string) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: aks-pool1-0\n  labels: {tier: ${tier}}\n`;
    const nodeEdits = policyWith('CannotEditIndividualNodes');
    const documents = new FileAnalyzer().analyze(`${node('silver')}---\n${node('gold')}`, nodeEdits, OPTIONS);
    assert.deepEqual(
      documents.map((document) => document.verdict.findings.length),
      [0, 1],
      'only the second copy updates the Node',
    );
    const [first, second] = [parseYamlDocument(node('silver')), parseYamlDocument(node('gold'))];
    const reversed = buildInventory([second, first], 'default');
    assert.equal(evaluateDocument(second, nodeEdits, OPTIONS, reversed).findings.length, 0, 'applied first, it creates nothing to compare with');
  });
});
