import type { CallTerm, ElseClause, Expr, Import, Literal, Module, RefTerm, Rule, RuleKind, ScalarTerm, Term, VarTerm, WithModifier } from './ast';
import { RegoError, type Location } from './errors';
import { tokenize, type Token } from './lexer';

/** Binary operators from the loosest to the tightest, as OPA's parser groups them, with their built-in. */
const OPERATOR_LEVELS: Record<string, string>[] = [
  { in: 'internal.member_2' },
  { '==': 'equal', '!=': 'neq', '<': 'lt', '>': 'gt', '<=': 'lte', '>=': 'gte' },
  { '|': 'or' },
  { '&': 'and' },
  { '+': 'plus', '-': 'minus' },
  { '*': 'mul', '/': 'div', '%': 'rem' },
];
const MEMBERSHIP_LEVEL = 0;
const UNION_LEVEL = 2;

/** Words that start or shape a statement and so can never be a variable. */
const RESERVED = new Set(['package', 'import', 'default', 'else', 'not', 'with', 'as', 'some', 'every', 'if', 'in', 'contains']);

/** Wildcards become numbered vars whose names no Rego identifier can take. */
export const WILDCARD_PREFIX = '$';

/** Parses one Rego module (v0 syntax, and the v1 keywords `if`, `contains`, `in`, `every`). */
export function parseModule(source: string, file: string): Module {
  try {
    return new Parser(tokenize(source, file)).parseModule(file);
  } catch (error) {
    // The parser recurses once per nesting level; absurd nesting must be an error, not a crash.
    if (error instanceof RangeError) throw new RegoError('rego_parse_error', 'the source is nested too deeply', { file, line: 1, column: 1, offset: 0 });
    throw error;
  }
}

class Parser {
  private index = 0;
  private wildcards = 0;
  /** Whether a line break ends the current expression: true in bodies, false inside brackets and parentheses. */
  private readonly newlineEnds: boolean[] = [true];

  constructor(private readonly tokens: Token[]) {}

  parseModule(file: string): Module {
    const location = this.peek().location;
    this.expectWord('package');
    const packagePath = this.parseDottedPath();
    const imports: Import[] = [];
    while (this.isWord('import')) imports.push(this.parseImport());
    const rules: Rule[] = [];
    while (this.peek().kind !== 'eof') rules.push(...this.parseRules());
    return { file, packagePath, imports, rules, location };
  }

  // ---- module structure ----

  private parseImport(): Import {
    const location = this.next().location;
    const path = this.parseDottedPath();
    let alias: string | undefined;
    if (this.isWord('as')) {
      this.next();
      alias = this.expectIdentifier();
    }
    return { path, alias, location };
  }

  /** `a.b["c"]`, as in `package` and `import`. */
  private parseDottedPath(): string[] {
    const path = [this.expectIdentifier()];
    for (;;) {
      const token = this.peek();
      if (token.spaceBefore) break;
      if (this.isOperator('.')) {
        this.next();
        path.push(this.expectIdentifier());
      } else if (this.isOperator('[')) {
        this.next();
        const key = this.next();
        if (key.kind !== 'string') this.fail(key, 'expected a string in a path');
        path.push(key.text);
        this.expectOperator(']');
      } else break;
    }
    return path;
  }

  /** One rule as written; `p { a } { b }` (several bodies) gives one rule per body. */
  private parseRules(): Rule[] {
    const start = this.peek();
    const isDefault = this.isWord('default');
    if (isDefault) this.next();
    const nameToken = this.next();
    if (nameToken.kind !== 'identifier' || RESERVED.has(nameToken.text)) this.fail(nameToken, `expected a rule name, found ${describe(nameToken)}`);
    const name = nameToken.text;
    const { steps, bracketed } = this.parseHeadRef();
    const groundLength = leadingStrings(steps);
    const groundPath = steps.slice(0, groundLength).map((step) => (step as ScalarTerm).value as string);
    const dynamicPath = steps.slice(groundLength);

    let params: Term[] | undefined;
    if (this.isOperator('(')) {
      if (dynamicPath.length > 0) this.fail(start, 'a function name must be a ground ref');
      this.next();
      params = this.parseTermList(')');
      // `f() = x { … }` is a complete rule in OPA: it is read as `f` and called as `f()`.
      if (params.length === 0) params = undefined;
    }
    let key: Term | undefined;
    let contained: Term | undefined;
    if (!params && this.isWord('contains')) {
      this.next();
      contained = this.parseTerm();
    }
    let value: Term | undefined;
    if (this.isOperator(':=') || this.isOperator('=')) {
      this.next();
      value = this.parseTerm();
      if (contained) this.fail(start, 'a contains rule has no value');
    }
    let kind: RuleKind = params ? 'function' : 'complete';
    let objectPath: Term[] | undefined;
    let multiValue = false;
    let path = groundPath;
    if (contained && dynamicPath.length === 0) {
      kind = 'partialSet';
      key = contained;
    } else if (contained) {
      kind = 'partialObject';
      objectPath = dynamicPath;
      multiValue = true;
      value = contained;
    } else if (!params && !value && steps.length === 1 && bracketed) {
      // v0's `p[x] { … }` (even `p["x"]`): a partial set, as OPA keeps it.
      kind = 'partialSet';
      key = steps[0];
      path = [];
    } else if (dynamicPath.length > 0) {
      kind = 'partialObject';
      objectPath = dynamicPath;
    }
    if (isDefault && (kind !== 'complete' && kind !== 'function')) this.fail(start, 'default rules must be complete rules or functions');
    if (isDefault && value === undefined) this.fail(start, 'a default rule needs a value');

    const ruleValue = value ?? { type: 'scalar', value: true, location: nameToken.location };
    const bodies: Literal[][] = [];
    if (isDefault) bodies.push([]);
    else {
      bodies.push(this.parseOptionalBody());
      // The old `p { a } { b }` form: one more body per brace group.
      while (this.isOperator('{')) bodies.push(this.parseBraceBody());
    }
    const elses: ElseClause[] = [];
    while (this.isWord('else')) {
      const location = this.next().location;
      let elseValue: Term = { type: 'scalar', value: true, location };
      if (this.isOperator(':=') || this.isOperator('=')) {
        this.next();
        elseValue = this.parseTerm();
      }
      elses.push({ value: elseValue, body: this.parseOptionalBody(), location });
    }
    return bodies.map((body) => ({
      kind,
      name,
      groundPath: path,
      isDefault,
      params: params ?? [],
      key,
      objectPath,
      multiValue: multiValue || undefined,
      value: ruleValue,
      body,
      elses,
      location: start.location,
    }));
  }

  /** The steps of a rule head's ref after its name (`.b`, `[x]`, written without spaces), and whether the first is bracketed. */
  private parseHeadRef(): { steps: Term[]; bracketed: boolean } {
    const steps: Term[] = [];
    let bracketed = false;
    while (!this.peek().spaceBefore && (this.isOperator('.') || this.isOperator('['))) {
      const opener = this.next();
      if (steps.length === 0) bracketed = opener.text === '[';
      if (opener.text === '.') {
        const field = this.next();
        if (field.kind !== 'identifier') this.fail(field, `expected a field name after ".", found ${describe(field)}`);
        steps.push({ type: 'scalar', value: field.text, location: field.location });
      } else {
        steps.push(this.inBrackets(() => this.parseTerm()));
        this.expectOperator(']');
      }
    }
    return { steps, bracketed };
  }

  /** `if { … }`, `if literal`, `{ … }`, or nothing (a constant). */
  private parseOptionalBody(): Literal[] {
    if (this.isWord('if')) {
      this.next();
      if (this.isOperator('{')) return this.parseBraceBody();
      return [this.withNewlineEnding(true, () => this.parseLiteral())];
    }
    if (this.isOperator('{')) return this.parseBraceBody();
    return [];
  }

  private parseBraceBody(): Literal[] {
    this.expectOperator('{');
    const body = this.parseQuery('}');
    this.expectOperator('}');
    return body;
  }

  /** Literals separated by `;` or line breaks, up to (not including) `closer`. */
  private parseQuery(closer: string): Literal[] {
    return this.withNewlineEnding(true, () => {
      const literals: Literal[] = [];
      if (this.isOperator(closer)) this.fail(this.peek(), 'found an empty body');
      for (;;) {
        literals.push(this.parseLiteral());
        if (this.isOperator(';')) {
          this.next();
          continue;
        }
        if (this.isOperator(closer)) return literals;
        if (this.peek().newlineBefore && this.peek().kind !== 'eof') continue;
        this.fail(this.peek(), `unexpected ${describe(this.peek())}`);
      }
    });
  }

  // ---- literals ----

  private parseLiteral(): Literal {
    const location = this.peek().location;
    if (this.isWord('some')) return { negated: false, expr: this.parseSome(), withs: [], location };
    if (this.isWord('every')) return { negated: false, expr: this.parseEvery(), withs: this.parseWiths(), location };
    const negated = this.isWord('not');
    if (negated) this.next();
    const expr = this.parseExpr();
    return { negated, expr, withs: this.parseWiths(), location };
  }

  private parseWiths(): WithModifier[] {
    const withs: WithModifier[] = [];
    while (this.isWord('with') && !this.endsHere()) {
      const location = this.next().location;
      const target = this.parsePostfix();
      this.expectWord('as');
      withs.push({ target, value: this.parseTerm(), location });
    }
    return withs;
  }

  private parseExpr(): Expr {
    const left = this.parseTerm();
    if ((this.isOperator(':=') || this.isOperator('=')) && !this.endsHere()) {
      const operator = this.next().text;
      const right = this.parseTerm();
      return operator === ':=' ? { type: 'assign', left, right } : { type: 'unify', left, right };
    }
    return { type: 'term', term: left };
  }

  private parseSome(): Expr {
    const someToken = this.next();
    const terms = [this.parseLevel(MEMBERSHIP_LEVEL + 1, false)];
    while (this.isOperator(',')) {
      this.next();
      terms.push(this.parseLevel(MEMBERSHIP_LEVEL + 1, false));
    }
    if (this.isWord('in')) {
      this.next();
      const collection = this.parseLevel(MEMBERSHIP_LEVEL + 1, false);
      if (terms.length > 2) this.fail(someToken, 'some … in takes at most a key and a value');
      return terms.length === 2 ? { type: 'someIn', key: terms[0], value: terms[1], collection } : { type: 'someIn', value: terms[0], collection };
    }
    const names = terms.map((term) => {
      if (term.type !== 'var') throw new RegoError('rego_parse_error', 'some declares variables only', term.location);
      return term.name;
    });
    return { type: 'some', names };
  }

  private parseEvery(): Expr {
    const everyToken = this.next();
    const vars: VarTerm[] = [];
    for (;;) {
      const term = this.parseLevel(MEMBERSHIP_LEVEL + 1, false);
      if (term.type !== 'var') this.fail(everyToken, 'every takes variables before in');
      vars.push(term as VarTerm);
      if (!this.isOperator(',')) break;
      this.next();
    }
    if (vars.length > 2) this.fail(everyToken, 'every takes at most a key and a value');
    this.expectWord('in');
    const domain = this.parseLevel(MEMBERSHIP_LEVEL + 1, false);
    const body = this.parseBraceBody();
    return vars.length === 2 ? { type: 'every', key: vars[0], value: vars[1], domain, body } : { type: 'every', value: vars[0], domain, body };
  }

  // ---- terms ----

  /** A full term with every infix operator. */
  private parseTerm(): Term {
    return this.parseLevel(0, false);
  }

  /**
   * One precedence level of infix operators, left-associative. `stopAtBar` leaves a top-level `|` alone, so that
   * `[x | body]` and `{x | body}` are comprehensions.
   */
  private parseLevel(level: number, stopAtBar: boolean): Term {
    if (level === OPERATOR_LEVELS.length) return this.parsePostfix();
    let left = this.parseLevel(level + 1, stopAtBar);
    const operators = OPERATOR_LEVELS[level];
    for (;;) {
      const token = this.peek();
      const isOperatorToken = (token.kind === 'operator' || (token.kind === 'identifier' && token.text === 'in')) && Object.hasOwn(operators, token.text);
      if (!isOperatorToken || this.endsHere() || (stopAtBar && level === UNION_LEVEL)) return left;
      this.next();
      const right = this.parseLevel(level + 1, stopAtBar);
      left = { type: 'call', operator: operators[token.text], args: [left, right], location: token.location };
    }
  }

  /** A primary term followed by `.field`, `[index]` and `(args)` written without spaces. */
  private parsePostfix(): Term {
    let term = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token.spaceBefore) return term;
      if (this.isOperator('.')) {
        this.next();
        const field = this.next();
        if (field.kind !== 'identifier') this.fail(field, `expected a field name after ".", found ${describe(field)}`);
        term = appendToRef(term, { type: 'scalar', value: field.text, location: field.location });
      } else if (this.isOperator('[')) {
        this.next();
        const index = this.inBrackets(() => this.parseTerm());
        this.expectOperator(']');
        term = appendToRef(term, index);
      } else if (this.isOperator('(')) {
        const operator = dottedName(term);
        if (operator === undefined) this.fail(token, 'only a name can be called');
        this.next();
        const call: CallTerm = { type: 'call', operator: operator as string, args: this.parseTermList(')'), location: term.location };
        term = call;
      } else return term;
    }
  }

  private parsePrimary(): Term {
    const token = this.next();
    const location = token.location;
    switch (token.kind) {
      case 'number':
        return { type: 'scalar', value: Number(token.text), location };
      case 'string':
        return { type: 'scalar', value: token.text, location };
      case 'identifier':
        if (token.text === 'true' || token.text === 'false') return { type: 'scalar', value: token.text === 'true', location };
        if (token.text === 'null') return { type: 'scalar', value: null, location };
        if (token.text === 'set' && this.isOperator('(') && !this.peek().spaceBefore && this.tokens[this.index + 1]?.text === ')') {
          this.next();
          this.next();
          return { type: 'set', items: [], location };
        }
        if (token.text === '_') return { type: 'var', name: `${WILDCARD_PREFIX}${this.wildcards++}`, location };
        // `contains` is a keyword only in rule heads; `contains(s, t)` is the built-in.
        if (RESERVED.has(token.text) && !(token.text === 'contains' && this.isOperator('('))) return this.fail(token, `unexpected keyword ${token.text}`);
        return { type: 'var', name: token.text, location };
      case 'operator':
        if (token.text === '(') {
          const inner = this.inBrackets(() => this.parseTerm());
          this.expectOperator(')');
          return inner;
        }
        if (token.text === '[') return this.parseArray(location);
        if (token.text === '{') return this.parseBraces(location);
        if (token.text === '-' && this.peek().kind === 'number' && !this.peek().spaceBefore) {
          return { type: 'scalar', value: -Number(this.next().text), location };
        }
        return this.fail(token, `unexpected ${describe(token)}`);
      default:
        return this.fail(token, `unexpected ${describe(token)}`);
    }
  }

  private parseArray(location: Location): Term {
    return this.inBrackets(() => {
      if (this.isOperator(']')) {
        this.next();
        return { type: 'array', items: [], location };
      }
      const first = this.parseLevel(0, true);
      if (this.isOperator('|')) return { type: 'arrayComprehension', term: first, body: this.parseComprehensionBody(']'), location };
      return { type: 'array', items: this.parseRestOfList(first, ']'), location };
    });
  }

  /** A comprehension's `| body` and its closing bracket. */
  private parseComprehensionBody(closer: ']' | '}'): Literal[] {
    this.expectOperator('|');
    const body = this.parseQuery(closer);
    this.expectOperator(closer);
    return body;
  }

  /** `{}` (an empty object), `{k: v, …}`, `{a, …}`, and the three comprehensions' `{… | body}`. */
  private parseBraces(location: Location): Term {
    return this.inBrackets(() => {
      if (this.isOperator('}')) {
        this.next();
        return { type: 'object', entries: [], location };
      }
      const first = this.parseLevel(0, true);
      if (this.isOperator(':')) {
        this.next();
        const firstValue = this.parseLevel(0, true);
        if (this.isOperator('|')) return { type: 'objectComprehension', key: first, value: firstValue, body: this.parseComprehensionBody('}'), location };
        const entries: [Term, Term][] = [[first, firstValue]];
        while (this.isOperator(',')) {
          this.next();
          if (this.isOperator('}')) break;
          const key = this.parseTerm();
          this.expectOperator(':');
          entries.push([key, this.parseTerm()]);
        }
        this.expectOperator('}');
        return { type: 'object', entries, location };
      }
      if (this.isOperator('|')) return { type: 'setComprehension', term: first, body: this.parseComprehensionBody('}'), location };
      return { type: 'set', items: this.parseRestOfList(first, '}'), location };
    });
  }

  private parseRestOfList(first: Term, closer: string): Term[] {
    const items = [first];
    while (this.isOperator(',')) {
      this.next();
      if (this.isOperator(closer)) break;
      items.push(this.parseTerm());
    }
    this.expectOperator(closer);
    return items;
  }

  /** Comma-separated terms up to `closer`, which is consumed (a trailing comma is allowed). */
  private parseTermList(closer: string): Term[] {
    return this.inBrackets(() => {
      const terms: Term[] = [];
      while (!this.isOperator(closer)) {
        terms.push(this.parseTerm());
        if (!this.isOperator(',')) break;
        this.next();
      }
      this.expectOperator(closer);
      return terms;
    });
  }

  // ---- token helpers ----

  private inBrackets<T>(parse: () => T): T {
    return this.withNewlineEnding(false, parse);
  }

  private withNewlineEnding<T>(ends: boolean, parse: () => T): T {
    this.newlineEnds.push(ends);
    try {
      return parse();
    } finally {
      this.newlineEnds.pop();
    }
  }

  /** A line break before the next token ends the expression here (in a body, outside brackets). */
  private endsHere(): boolean {
    return this.newlineEnds[this.newlineEnds.length - 1] && this.peek().newlineBefore;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isOperator(text: string): boolean {
    const token = this.peek();
    return token.kind === 'operator' && token.text === text;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text === text;
  }

  private expectOperator(text: string): void {
    if (!this.isOperator(text)) this.fail(this.peek(), `expected "${text}", found ${describe(this.peek())}`);
    this.next();
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) this.fail(this.peek(), `expected ${text}, found ${describe(this.peek())}`);
    this.next();
  }

  private expectIdentifier(): string {
    const token = this.next();
    if (token.kind !== 'identifier') this.fail(token, `expected a name, found ${describe(token)}`);
    return token.text;
  }

  private fail(token: Token, detail: string): never {
    throw new RegoError('rego_parse_error', detail, token.location);
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of file';
  if (token.kind === 'string') return `string ${JSON.stringify(token.text)}`;
  return `"${token.text}"`;
}

/** How many steps at the start are strings: the part of a head's ref that names a fixed document. */
function leadingStrings(steps: readonly Term[]): number {
  const index = steps.findIndex((step) => step.type !== 'scalar' || typeof step.value !== 'string');
  return index === -1 ? steps.length : index;
}

function appendToRef(term: Term, step: Term): RefTerm {
  if (term.type === 'ref') return { ...term, path: [...term.path, step] };
  return { type: 'ref', head: term, path: [step], location: term.location };
}

/** `f`, `regex.match`, `data.lib.x.f`: the dotted name a var or a ref of constant strings spells (a callable name), or undefined. */
export function dottedName(term: Term): string | undefined {
  if (term.type === 'var') return term.name;
  if (term.type !== 'ref' || term.head.type !== 'var') return undefined;
  const parts = [term.head.name];
  for (const step of term.path) {
    if (step.type !== 'scalar' || typeof step.value !== 'string') return undefined;
    parts.push(step.value);
  }
  return parts.join('.');
}
