import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations } from './applyOperations';

describe('applyOperations (test helper)', () => {
  it('sets values, creating missing mappings, without touching the original', () => {
    const original = { spec: { containers: [{ name: 'app' }] } };
    const result = applyOperations(original, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], value: true }]);
    assert.deepEqual(result, { spec: { containers: [{ name: 'app', securityContext: { runAsNonRoot: true } }] } });
    assert.deepEqual(original, { spec: { containers: [{ name: 'app' }] } });
  });

  it('reads every path on the original: removals of several items keep their meaning', () => {
    const result = applyOperations({ add: ['A', 'B', 'C', 'D'], keep: 1, drop: 2 }, [
      { op: 'remove', path: ['add', 0] },
      { op: 'remove', path: ['add', 2] },
      { op: 'remove', path: ['drop'] },
      { op: 'set', path: ['add', 3], value: 'd' },
    ]);
    assert.deepEqual(result, { add: ['B', 'd'], keep: 1 });
  });

  it('applies identical operations once and throws on paths that do not exist', () => {
    assert.deepEqual(applyOperations({ a: 1 }, [{ op: 'remove', path: ['a'] }, { op: 'remove', path: ['a'] }]), {});
    assert.throws(() => applyOperations({ a: 1 }, [{ op: 'remove', path: ['b'] }]));
    assert.throws(() => applyOperations({ a: 'text' }, [{ op: 'set', path: ['a', 'b'], value: 1 }]));
  });
});
