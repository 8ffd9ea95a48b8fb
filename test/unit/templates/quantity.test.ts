import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, servedResourceList } from '../../../server/src/templates/quantity';

describe('canonicalQuantity: what the API server stores', () => {
  it('keeps text already in canonical form', () => {
    for (const text of ['100m', '1', '30Mi', '1Gi', '100M', '123Mi', '129e6', '1e3', '1n', '1E', '128974848']) assert.equal(canonicalQuantity(text), text, text);
  });

  it('rewrites decimals into the largest suffix that keeps an integer', () => {
    assert.equal(canonicalQuantity('0.5'), '500m');
    assert.equal(canonicalQuantity('1.5'), '1500m');
    assert.equal(canonicalQuantity('1000m'), '1');
    assert.equal(canonicalQuantity('2000M'), '2G');
    assert.equal(canonicalQuantity('1000'), '1k');
    assert.equal(canonicalQuantity('1.5k'), '1500');
    assert.equal(canonicalQuantity('0.0001'), '100u');
  });

  it('rewrites binary values in powers of 1024, or as decimals when they are small or fractional', () => {
    assert.equal(canonicalQuantity('1024Mi'), '1Gi');
    assert.equal(canonicalQuantity('2048Ki'), '2Mi');
    assert.equal(canonicalQuantity('1.5Gi'), '1536Mi');
    assert.equal(canonicalQuantity('0.5Gi'), '512Mi');
    assert.equal(canonicalQuantity('0.5Ki'), '512');
    assert.equal(canonicalQuantity('0.1Gi'), '107374182400m');
    assert.equal(canonicalQuantity('8Ei'), '9223372036854775807', 'capped at the largest int64');
  });

  it('keeps the exponent form, with the exponent a multiple of 3', () => {
    assert.equal(canonicalQuantity('10e2'), '1e3');
    assert.equal(canonicalQuantity('1.5e3'), '1500');
    assert.equal(canonicalQuantity('1e-12'), '1e-9', 'rounded up to a nano');
  });

  it('reads numbers as their JSON text', () => {
    assert.equal(canonicalQuantity(2), '2');
    assert.equal(canonicalQuantity(0.5), '500m');
    assert.equal(canonicalQuantity(1000), '1k');
  });

  it('keeps a sign or leading zeros that its fast path leaves alone, and trims spaces', () => {
    assert.equal(canonicalQuantity('+100m'), '+100m');
    assert.equal(canonicalQuantity('0030Mi'), '0030Mi');
    assert.equal(canonicalQuantity(' 250m '), '250m');
    assert.equal(canonicalQuantity('1.G'), '1.G');
  });

  it('refuses what is not a quantity', () => {
    for (const text of ['', 'abc', '5x', '1e', '1K', '1.5.5', '1 Gi']) assert.equal(canonicalQuantity(text), undefined, text);
  });
});

describe('servedResourceList', () => {
  it('stores every quantity canonical, null as 0, and keeps what it cannot read', () => {
    assert.deepEqual(servedResourceList({ cpu: 0.5, memory: '2048Mi', 'nvidia.com/gpu': 1, odd: 'lots', weird: true, none: null }), {
      cpu: '500m',
      memory: '2Gi',
      'nvidia.com/gpu': '1',
      odd: 'lots',
      weird: true,
      none: '0',
    });
  });

  it('drops an empty or null list', () => {
    assert.equal(servedResourceList({}), undefined);
    assert.equal(servedResourceList(null), undefined);
    assert.equal(servedResourceList(undefined), undefined);
  });
});
