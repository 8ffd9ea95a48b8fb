import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegoError } from '../../../server/src/rego/errors';
import { tokenize } from '../../../server/src/rego/lexer';

const texts = (source: string) => tokenize(source, 'test.rego').map((token) => `${token.kind}:${token.text}`);

describe('tokenize', () => {
  it('splits identifiers, numbers, strings and operators, longest operator first', () => {
    assert.deepEqual(texts('x := a.b[0] == "s"; y != 1.5e3'), [
      'identifier:x',
      'operator::=',
      'identifier:a',
      'operator:.',
      'identifier:b',
      'operator:[',
      'number:0',
      'operator:]',
      'operator:==',
      'string:s',
      'operator:;',
      'identifier:y',
      'operator:!=',
      'number:1.5e3',
      'eof:',
    ]);
  });

  it('decodes JSON escapes and keeps raw strings as written, across lines', () => {
    const [escaped, raw, after] = tokenize('"a\\"b\\n\\u00e9" `c\\d\ne` x', 'f');
    assert.equal(escaped.text, 'a"b\né');
    assert.equal(raw.text, 'c\\d\ne');
    assert.equal(after.location.line, 2);
  });

  it('records positions, line breaks and spacing before each token, and skips comments', () => {
    const tokens = tokenize('p {\n  # comment\n  x[0]\n}', 'policy.rego');
    const x = tokens[2];
    assert.deepEqual(x.location, { file: 'policy.rego', line: 3, column: 3, offset: 18 });
    assert.equal(x.newlineBefore, true);
    assert.equal(tokens[3].spaceBefore, false, '[ follows x without a space');
  });

  it('reports an unterminated string or an unknown character with its place', () => {
    assert.throws(() => tokenize('x := "abc', 'f.rego'), (error: unknown) => error instanceof RegoError && /f\.rego:1:6: rego_parse_error: non-terminated string/.test(error.message));
    assert.throws(() => tokenize('x := @', 'f.rego'), /1:6: rego_parse_error: illegal token "@"/);
    assert.throws(() => tokenize('"\\q"', 'f.rego'), /illegal escape sequence/);
  });
});
