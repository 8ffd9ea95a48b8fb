// The Rego injection grammar, tokenized with VS Code's own TextMate engine (vscode-textmate +
// vscode-oniguruma, the regex engine VS Code uses), so Oniguruma-only syntax is checked for real.
//
// The host `source.yaml` grammars below are small stand-ins written for this test. They model the two
// ways a YAML grammar can leave the scanner at a key: the classic one matches from column 0; the one
// VS Code ships (since 1.87) consumes the indentation of enclosing mappings and sequence items in
// begin/while rules, so an injected rule starts at \G, not at ^.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '..', '..', '..');
const grammarPath = join(root, 'syntaxes', 'rego-in-yaml.tmLanguage.json');
const grammarText = readFileSync(grammarPath, 'utf8');

interface GrammarContribution {
  path: string;
  scopeName: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}

const columnZeroHost = {
  scopeName: 'source.yaml',
  patterns: [
    { match: '(?:^|(?<=[ \\t]))#.*$', name: 'comment.line.number-sign.yaml' },
    {
      match: '^[ \\t]*(?:(-)[ \\t]+)?([\\w.-]+)[ \\t]*(:)(?=[ \\t]|$)',
      captures: {
        1: { name: 'punctuation.definition.block.sequence.item.yaml' },
        2: { name: 'entity.name.tag.yaml' },
        3: { name: 'punctuation.separator.key-value.mapping.yaml' },
      },
    },
    {
      begin: '(?<=:)[ \\t]+[|>][-+1-9]*[ \\t]*$',
      end: '^(?=[ \\t]{0,2}\\S)',
      contentName: 'string.unquoted.block.yaml',
    },
    { match: '(?<=:)[ \\t]+([^#\\n]*[^\\s#])', captures: { 1: { name: 'string.unquoted.plain.out.yaml' } } },
  ],
};

const indentConsumingHost = {
  scopeName: 'source.yaml',
  patterns: [{ include: '#node' }],
  repository: {
    node: { patterns: [{ include: '#comment' }, { include: '#item' }, { include: '#mapping' }] },
    comment: { match: '(?:^|\\G|(?<=[ \\t]))#.*$', name: 'comment.line.number-sign.yaml' },
    item: {
      begin: '(?:^|\\G)( *)(-)(?=[ \\t]|$)',
      beginCaptures: { 2: { name: 'punctuation.definition.block.sequence.item.yaml' } },
      while: '(?:^|\\G)(?:\\1 (?= )|(?=[ \\t]*$))',
      patterns: [{ include: '#node' }],
    },
    mapping: {
      begin: '(?:^|\\G)( *)(?=[\\w.-]+[ \\t]*:(?:[ \\t]|$))',
      while: '(?:^|\\G)(?:\\1|(?=[ \\t]*$))',
      name: 'meta.mapping.yaml',
      patterns: [
        {
          match: '(?:^|\\G)([\\w.-]+)[ \\t]*(:)(?=[ \\t]|$)',
          captures: { 1: { name: 'entity.name.tag.yaml' }, 2: { name: 'punctuation.separator.map.value.yaml' } },
        },
        {
          begin: '(?<=:)[ \\t]+[|>][-+1-9]*[ \\t]*$',
          while: '(?:^|\\G)(?=[ \\t]+\\S|[ \\t]*$)',
          contentName: 'string.unquoted.block.yaml',
        },
        { match: '(?<=:)[ \\t]+([^#\\n]*[^\\s#])', captures: { 1: { name: 'string.unquoted.plain.out.yaml' } } },
        {
          begin: '(?<=:)(?=[ \\t]*$)',
          while: '(?:^|\\G)(?=[ \\t]+\\S|[ \\t]*$)',
          patterns: [{ include: '#node' }],
        },
        { include: '#comment' },
      ],
    },
  },
};

const constraintTemplate = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels

        # says which labels are missing
        violation[{"msg": msg}] {
          missing := {l | l := input.parameters.labels[_]} - {l | input.review.object.metadata.labels[l]}
          count(missing) > 0
          msg := sprintf("you must provide labels: %v", [missing])
        }
        default allow := false
      libs:
        - |-
          package lib.helpers
          has_key(obj, k) { _ = obj[k] }
    - rego: >
        package second
      target: admission.k8s.gatekeeper.sh
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            rego: |
              package coded
              violation[{"msg": "coded"}] { input.review }
            libs:
              - |
                package lib.coded
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "true"
  notes: |
    package not_rego
  after: value
`;

type Tokenize = (text: string) => textmate.IToken[][];

async function loadTokenizer(host: object): Promise<Tokenize> {
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.yaml') return textmate.parseRawGrammar(JSON.stringify(host), 'host.json');
      if (scopeName === 'rego.injection.yaml') return textmate.parseRawGrammar(grammarText, grammarPath);
      return null;
    },
    getInjections: (scopeName: string) => (scopeName === 'source.yaml' ? ['rego.injection.yaml'] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  assert.ok(grammar, 'the host grammar loads');
  return (text) => {
    let state = textmate.INITIAL;
    return text.split('\n').map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens;
    });
  };
}

/** Scopes of the token holding the first `text` on the first line containing `lineText`. */
function scopesOf(tokens: textmate.IToken[][], lineText: string, text: string): string[] {
  const lines = constraintTemplate.split('\n');
  const lineIndex = lines.findIndex((line) => line.includes(lineText));
  assert.notEqual(lineIndex, -1, `sample has a line with ${lineText}`);
  const column = lines[lineIndex].indexOf(text);
  assert.notEqual(column, -1, `line ${lineIndex + 1} has ${text}`);
  const token = tokens[lineIndex].find((t) => t.startIndex <= column && column < t.endIndex);
  assert.ok(token, `a token covers ${text}`);
  return token.scopes;
}

const isRego = (scope: string) => scope.endsWith('.rego');

function collectRegexes(node: unknown, found: { where: string; source: string }[], where = '$'): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectRegexes(item, found, `${where}[${index}]`));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') found.push({ where: `${where}.${key}`, source: value });
      else collectRegexes(value, found, `${where}.${key}`);
    }
  }
}

before(async () => {
  await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
});

describe('rego-in-yaml grammar', () => {
  it('is the grammar package.json contributes, with the scopes it names', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } };
    const grammar = JSON.parse(grammarText) as { scopeName: string; injectionSelector: string };
    const contribution = manifest.contributes.grammars.find((g) => join(root, g.path) === grammarPath);
    assert.ok(contribution, 'package.json contributes syntaxes/rego-in-yaml.tmLanguage.json');
    assert.equal(grammar.scopeName, contribution.scopeName);
    for (const host of contribution.injectTo ?? []) assert.match(grammar.injectionSelector, new RegExp(`\\b${host.replace(/\./g, '\\.')}\\b`));
    for (const scope of Object.keys(contribution.embeddedLanguages ?? {})) {
      assert.ok(grammarText.includes(`"contentName": "${scope}"`), `some rule's content is ${scope}`);
    }
  });

  it('has only regexes Oniguruma compiles', () => {
    const regexes: { where: string; source: string }[] = [];
    collectRegexes(JSON.parse(grammarText), regexes);
    assert.ok(regexes.length > 20);
    for (const { where, source } of regexes) {
      // end/while back-references name begin captures; vscode-textmate substitutes them before compiling.
      const compiled = /\.(end|while)$/.test(where) ? source.replace(/\\\d+/g, '') : source;
      assert.doesNotThrow(() => new oniguruma.OnigScanner([compiled]).dispose(), `${where}: ${source}`);
    }
  });

  for (const [hostName, host] of [['a column-0 YAML grammar', columnZeroHost], ["an indentation-consuming YAML grammar (VS Code's style)", indentConsumingHost]] as const) {
    describe(`injected into ${hostName}`, () => {
      let tokens: textmate.IToken[][];
      before(async () => {
        tokens = (await loadTokenizer(host))(constraintTemplate);
      });

      it('scopes the rego block as embedded Rego', () => {
        const violation = scopesOf(tokens, 'violation[', 'violation');
        assert.ok(violation.includes('meta.embedded.block.rego'), violation.join(' '));
        assert.ok(violation.includes('entity.name.function.rule.rego'), violation.join(' '));
        assert.ok(scopesOf(tokens, 'package k8srequiredlabels', 'package').includes('keyword.other.package.rego'));
        assert.ok(scopesOf(tokens, '# says', 'says').includes('comment.line.number-sign.rego'));
        assert.ok(scopesOf(tokens, 'count(missing)', 'count').includes('support.function.builtin.rego'));
        assert.ok(scopesOf(tokens, 'sprintf(', 'you must').includes('string.quoted.double.rego'));
        assert.ok(scopesOf(tokens, 'count(missing)', '0').includes('constant.numeric.rego'));
        assert.ok(scopesOf(tokens, 'default allow', 'default').includes('keyword.other.default.rego'));
      });

      it('keeps the key and header of the block YAML', () => {
        const key = scopesOf(tokens, 'rego: |', 'rego');
        assert.ok(key.includes('entity.name.tag.yaml'), key.join(' '));
        assert.ok(!key.some(isRego), key.join(' '));
      });

      it('scopes the block-scalar items of libs as Rego', () => {
        assert.ok(scopesOf(tokens, 'package lib.helpers', 'package').includes('keyword.other.package.rego'));
        assert.ok(scopesOf(tokens, 'has_key(obj, k)', 'has_key').includes('entity.name.function.rule.rego'));
        assert.ok(!scopesOf(tokens, 'libs:', 'libs').some(isRego));
      });

      it('ends the block where YAML ends it, also for `- rego:` in a sequence', () => {
        assert.ok(scopesOf(tokens, 'package second', 'second').includes('entity.name.namespace.rego'));
        const target = scopesOf(tokens, '      target: admission', 'target');
        assert.ok(target.includes('entity.name.tag.yaml'), target.join(' '));
        assert.ok(!target.some(isRego), target.join(' '));
        assert.ok(!scopesOf(tokens, 'after: value', 'after').some(isRego));
      });

      it('scopes the Rego of a `code` entry (`source.rego` and `source.libs`) as Rego, and the CEL entry after it as YAML', () => {
        assert.ok(scopesOf(tokens, 'package coded', 'coded').includes('entity.name.namespace.rego'));
        assert.ok(scopesOf(tokens, 'violation[{"msg": "coded"}]', 'violation').includes('entity.name.function.rule.rego'));
        assert.ok(scopesOf(tokens, 'package lib.coded', 'package').includes('keyword.other.package.rego'));
        const engine = scopesOf(tokens, 'engine: K8sNativeValidation', 'engine');
        assert.ok(engine.includes('entity.name.tag.yaml'), engine.join(' '));
        assert.ok(!engine.some(isRego), engine.join(' '));
      });

      it('leaves other block scalars and YAML keys alone', () => {
        assert.ok(!scopesOf(tokens, 'package not_rego', 'package').some(isRego));
        const key = scopesOf(tokens, 'kind: ConstraintTemplate', 'kind');
        assert.ok(key.includes('entity.name.tag.yaml'), key.join(' '));
        assert.ok(!key.some(isRego));
      });
    });
  }
});
