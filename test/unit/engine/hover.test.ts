import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { explainAt } from '../../../server/src/engine/hover';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { DEFAULT_SETTINGS, type Settings } from '../../../server/src/settings';

const catalog = loadCatalog();
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };

function hover(text: string, needle: string, settings: Partial<Settings> = {}): string | undefined {
  const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, ...settings });
  return explainAt(new FileAnalyzer().analyze(text, policy, OPTIONS), text.indexOf(needle) + 1, policy, OPTIONS);
}

const deployment = (namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          securityContext:
            privileged: true
`;

describe('hover', () => {
  it('explains on a kind line which policies apply and what the cluster will do', () => {
    const audit = hover(deployment('shop'), 'kind: Deployment')!;
    assert.match(audit, /`Deployment` `web` in namespace `shop`/);
    assert.match(audit, /\| NoPrivilegedContainers \(`k8sazurev2noprivilege`\) \| audit \| yes: the Pods this Deployment creates \| its Pods are \*\*reported\*\* by audit \|/);
    assert.match(audit, /\| BlockUsingHostProcessIDAndIPC \(`k8sazurev2blockhostnamespace`\) \| audit \| yes: the Pods this Deployment creates \| allows it \|/);
    const deny = hover(deployment('shop'), 'kind: Deployment', { effect: 'deny' })!;
    assert.match(deny, /the Deployment is accepted, its Pods are \*\*rejected\*\* when created/);
  });

  it('says why a resource is out of scope', () => {
    assert.match(hover(deployment('kube-system'), 'kind: Deployment')!, /\| audit \| no: namespace "kube-system" is excluded \| nothing \|/);
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n';
    assert.match(hover(service, 'kind: Service')!, /no: the constraint matches Pod, not Service/);
    assert.match(hover(deployment('shop'), 'kind: Deployment', { effect: 'disabled' })!, /\| disabled \| — \| nothing \|/);
  });

  it('starts with the findings when over a flagged field', () => {
    const text = deployment('shop');
    const markdown = hover(text, 'privileged: true')!;
    assert.match(markdown.split('\n')[2], /^- ⚠️ `k8sazurev2noprivilege`: \[azurepolicy-k8sazurev2noprivilege\] Privileged container is not allowed: web/);
  });

  it('stays quiet elsewhere', () => {
    assert.equal(hover(deployment('shop'), 'image: nginx'), undefined);
    assert.equal(hover('services:\n  web:\n    image: nginx\n', 'image'), undefined);
  });
});
