import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInitiative, settingValue, shortInitiativeName } from '../../../client/src/catalog';
import { renderActiveConstraints, renderInitiativeTooltip } from '../../../client/src/render';
import { catalogResult, loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import type { ActiveConstraintsResult } from '../../../server/src/protocol';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';

const { initiatives } = catalogResult(loadCatalog());

describe('client catalog helpers', () => {
  it('find an initiative by alias, GUID or full id, in any case', () => {
    const restricted = initiatives.find((initiative) => initiative.alias === 'restricted')!;
    assert.equal(findInitiative(initiatives, 'Restricted'), restricted);
    assert.equal(findInitiative(initiatives, restricted.id.toUpperCase()), restricted);
    assert.equal(findInitiative(initiatives, `/providers/Microsoft.Authorization/policySetDefinitions/${restricted.id}`), restricted);
    assert.equal(findInitiative(initiatives, 'strict'), undefined);
  });

  it('store the alias and show a short name', () => {
    const baseline = findInitiative(initiatives, 'baseline')!;
    assert.equal(settingValue(baseline), 'baseline');
    assert.equal(shortInitiativeName('baseline', baseline), 'Baseline');
    assert.equal(shortInitiativeName('pss-restricted', findInitiative(initiatives, 'pss-restricted')), 'PSS Restricted');
    assert.equal(shortInitiativeName('0000-unknown-initiative-with-a-long-name', undefined).length, 24);
  });
});

describe('rendering', () => {
  it('lists the active constraints like kubectl, with parameters and problems', () => {
    const policy = resolvePolicy(loadCatalog(), { ...DEFAULT_SETTINGS, initiative: 'restricted', effect: 'deny' });
    const result: ActiveConstraintsResult = {
      initiative: policy.initiative,
      effect: policy.effect,
      problems: ['aksPolicy.effect: "sometimes" is not an effect; using audit.'],
      constraints: policy.constraints.map((c) => ({
        referenceId: c.referenceId,
        displayName: c.displayName,
        template: c.template.name,
        kind: c.template.kind,
        effect: c.effect,
        parameters: c.parameters,
        match: { kinds: c.match.kinds.flatMap((k) => k.kinds), namespaces: c.match.namespaces, excludedNamespaces: c.match.excludedNamespaces, labelSelector: c.match.labelSelector },
      })),
    };
    const text = renderActiveConstraints(result, 'file:///w/pod.yaml');
    assert.match(text, /NAME\s+KIND\s+EFFECT\s+POLICY/);
    assert.match(text, /k8sazurev3allowedseccomp\s+K8sAzureV3AllowedSeccomp\s+deny\s+AllowedSeccompProfiles/);
    assert.match(text, /"allowedProfiles": \[\n\s+"runtime\/default"/);
    assert.match(text, /- aksPolicy\.effect: "sometimes" is not an effect/);
    assert.equal(text.match(/^### /gm)?.length, 8);
  });

  it('puts every member in the status bar tooltip', () => {
    const baseline = findInitiative(initiatives, 'baseline')!;
    const tooltip = renderInitiativeTooltip(baseline, 'deny', baseline.members.map((m) => ({ displayName: m.displayName, template: m.template, effect: 'deny' })));
    assert.equal(tooltip.split('\n').filter((line) => line.includes('`k8sazure')).length, 5);
    assert.match(tooltip, /Effect: deny\./);
  });
});
