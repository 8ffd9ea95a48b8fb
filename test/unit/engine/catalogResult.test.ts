import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogResult, findDefinition, loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';

const catalog = loadCatalog();

describe('catalogResult', () => {
  const { initiatives, definitions } = catalogResult(catalog);

  it('lists the initiatives with their members', () => {
    const baseline = initiatives.find((initiative) => initiative.alias === 'baseline')!;
    assert.equal(baseline.members.length, 5);
  });

  it('lists every built-in definition once, newest version, under the name aksPolicy.policies takes', () => {
    const ids = definitions.map((definition) => definition.definitionId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set([...catalog.definitions, ...catalog.mutations].map((definition) => definition.guid)).size, ids.length);
    for (const definition of definitions) {
      assert.doesNotMatch(definition.name, /@|\.json$/);
      assert.equal(findDefinition(catalog, definition.name)?.guid, definition.definitionId, definition.name);
      const assigned = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: 'none', policies: { [definition.name]: { parameters: {} } } });
      assert.deepEqual(
        assigned.constraints.map((constraint) => constraint.version),
        assigned.constraints.length === 0 ? [] : [definition.version],
        `${definition.name} resolves to the version listed`,
      );
    }
  });
});
