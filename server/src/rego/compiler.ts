import type { CallTerm, ElseClause, FunctionRef, Literal, Module, RefTerm, Rule, RuleKind, Term, VarTerm, WithModifier } from './ast';
import { BUILTINS, unavailableOffline } from './builtins';
import { RegoError, type Location } from './errors';
import { dottedName } from './parser';
import { expandBody, hoistBody, LocalVarGenerator } from './rewrite';
import { SafetyChecker } from './safety';
import { mapChildTerms, mapLiteralTerms } from './traverse';
import { isWildcard, termVars } from './vars';

/** All definitions of one rule (or function) of a package, after resolution and the safety check. */
export interface RuleGroup {
  /** Package path and rule name: ['lib', 'exclude_update', 'is_update']. */
  path: string[];
  kind: RuleKind;
  definitions: Rule[];
  defaultRule?: Rule;
  /** A function's parameter count; 0 for rules. */
  arity: number;
}

/**
 * A node of `data`'s virtual tree: a package, or a document a ref head names (`a` and `a.b` for `a.b.c := 1`), with
 * the rules defined right under it and its children.
 */
export interface PackageNode {
  children: Map<string, PackageNode>;
  rules: Map<string, RuleGroup>;
  /** First names of the rule heads written in this package: what a bare name there refers to. */
  ruleRoots: Set<string>;
}

export interface CompiledProgram {
  root: PackageNode;
}

/** The roots every body may read. */
const ROOT_DOCUMENTS = new Set(['input', 'data']);

/**
 * Compiles parsed modules into a program: rules grouped by package, names resolved (a bare `foo` that names a rule
 * of the package or an import becomes `data.pkg.foo`, calls find their function or built-in), and bodies ordered
 * for safety. Errors are OPA's compile errors, with the place they were found.
 */
export function compileModules(modules: readonly Module[]): CompiledProgram {
  const root = newNode();
  const written: { rule: Rule; module: Module; group: RuleGroup }[] = [];
  for (const module of modules) {
    for (const rule of module.rules) {
      packageNode(root, module.packagePath).ruleRoots.add(rule.name);
      written.push({ rule, module, group: addRule(root, [...module.packagePath, rule.name, ...rule.groundPath], rule) });
    }
  }
  checkOverlaps(root, []);
  // Every name is known now; resolve and check each definition against its own module's imports.
  const resolvers = new Map(modules.map((module) => [module, new Resolver(root, module)]));
  for (const { group } of written) {
    group.definitions = [];
    group.defaultRule = undefined;
  }
  for (const { rule, module, group } of written) {
    const compiled = (resolvers.get(module) as Resolver).compileRule(rule);
    if (rule.isDefault) group.defaultRule = compiled;
    else group.definitions.push(compiled);
  }
  return { root };
}

function newNode(): PackageNode {
  return { children: new Map(), rules: new Map(), ruleRoots: new Set() };
}

function packageNode(root: PackageNode, path: readonly string[]): PackageNode {
  let node = root;
  for (const name of path) {
    let child = node.children.get(name);
    if (!child) {
      child = newNode();
      node.children.set(name, child);
    }
    node = child;
  }
  return node;
}

export function findRuleGroup(root: PackageNode, path: readonly string[]): RuleGroup | undefined {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const child = node.children.get(path[i]);
    if (!child) return undefined;
    node = child;
  }
  return node.rules.get(path[path.length - 1]);
}

/** Files the rule at its path (package, name, ref), checking that all definitions there agree on what it is. */
function addRule(root: PackageNode, path: string[], rule: Rule): RuleGroup {
  const node = packageNode(root, path.slice(0, -1));
  const name = path[path.length - 1];
  const existing = node.rules.get(name);
  const arity = rule.kind === 'function' ? rule.params.length : 0;
  const group: RuleGroup = existing ?? { path, kind: rule.kind, definitions: [], arity };
  if (existing) {
    const first = existing.definitions[0] ?? existing.defaultRule;
    if (existing.kind !== rule.kind || existing.arity !== arity || Boolean(first?.multiValue) !== Boolean(rule.multiValue)) {
      throw new RegoError('rego_type_error', `conflicting rules data.${path.join('.')} found`, rule.location);
    }
  }
  if (rule.isDefault) {
    if (group.defaultRule) throw new RegoError('rego_type_error', `multiple default rules data.${path.join('.')} found`, rule.location);
    group.defaultRule = rule;
  } else group.definitions.push(rule);
  node.rules.set(name, group);
  return group;
}

/**
 * A rule's document may not have rules or packages inside it (`p := 1` with `p.q := 2`), as in OPA; only a partial
 * object's may, the overlap being checked when it is evaluated (`a[x] := 1` with `a.b := 2`).
 */
function checkOverlaps(node: PackageNode, path: string[]): void {
  for (const [name, child] of node.children) {
    const group = node.rules.get(name);
    if (group && group.kind !== 'partialObject') {
      const inside = rulePaths(child, [...path, name]).map((rulePath) => `data.${rulePath.join('.')}`);
      const location = group.definitions[0]?.location ?? group.defaultRule?.location;
      throw new RegoError('rego_type_error', `rule data.${group.path.join('.')} conflicts with [${inside.join(' ')}]`, location);
    }
    checkOverlaps(child, [...path, name]);
  }
}

function rulePaths(node: PackageNode, path: string[]): string[][] {
  const paths = [...node.rules.keys()].map((name) => [...path, name]);
  for (const [name, child] of node.children) paths.push(...rulePaths(child, [...path, name]));
  return paths.sort();
}

/** Resolves the names of one module's rules against its package and imports. */
class Resolver {
  /** Names a bare name can refer to in this package: its rules' first names. */
  private readonly packageRules: ReadonlySet<string>;
  private readonly imports = new Map<string, string[]>();
  private readonly safety: SafetyChecker;
  private readonly names = new LocalVarGenerator();

  constructor(
    private readonly root: PackageNode,
    private readonly module: Module,
  ) {
    this.packageRules = packageNode(root, module.packagePath).ruleRoots;
    for (const entry of module.imports) {
      const [first] = entry.path;
      if (first === 'future' || first === 'rego') continue;
      if (first !== 'data' && first !== 'input') throw new RegoError('rego_compile_error', `invalid import ${entry.path.join('.')}: must begin with input or data`, entry.location);
      this.imports.set(entry.alias ?? entry.path[entry.path.length - 1], entry.path);
    }
    this.safety = new SafetyChecker((call) => this.arityOf(call));
  }

  compileRule(rule: Rule): Rule {
    const declared = new Set<string>();
    for (const param of rule.params) termVars(param, {}, declared);
    const globals = new Set([...declared, ...ROOT_DOCUMENTS]);
    const compileClause = (value: Term, body: Literal[], keys: readonly Term[]) => {
      const scope = new Set([...declared, ...declaredIn(body)]);
      const expanded = expandBody(
        body.map((literal) => this.resolveLiteral(literal, scope)),
        this.names,
      );
      const resolvedBody = hoistBody(this.safety.reorderBody(expanded, globals), this.names);
      const resolvedValue = this.resolveTerm(value, scope);
      const resolvedKeys = keys.map((key) => this.resolveTerm(key, scope));
      this.safety.checkHeadSafe([...resolvedKeys, resolvedValue], resolvedBody, globals, rule.location);
      return { value: resolvedValue, body: resolvedBody, keys: resolvedKeys };
    };
    const main = compileClause(rule.value, rule.body, rule.key ? [rule.key] : (rule.objectPath ?? []));
    const elses: ElseClause[] = rule.elses.map((clause) => {
      const compiled = compileClause(clause.value, clause.body, []);
      return { ...clause, value: compiled.value, body: compiled.body };
    });
    if (rule.isDefault && termVars(main.value).size > 0) throw new RegoError('rego_compile_error', `default rule ${rule.name} must have a constant value`, rule.location);
    const keys = rule.key ? { key: main.keys[0] } : rule.objectPath ? { objectPath: main.keys } : {};
    return { ...rule, ...keys, value: main.value, body: main.body, elses };
  }

  private resolveLiteral(literal: Literal, scope: Set<string>): Literal {
    return mapLiteralTerms(literal, (term) => this.resolveTerm(term, scope), {
      mapWith: (modifier) => this.resolveWith(modifier, scope),
      mapEveryBody: ({ key, value, body }) => {
        const inner = new Set([...scope, value.name, ...(key ? [key.name] : []), ...declaredIn(body)]);
        return body.map((bodyLiteral) => this.resolveLiteral(bodyLiteral, inner));
      },
    });
  }

  /**
   * `with` replaces input or data (a base document or a rule) at a constant path, or a function or built-in, by a
   * value or by another function. The target is a path or a name, never evaluated.
   */
  private resolveWith(modifier: WithModifier, scope: Set<string>): WithModifier {
    const target = this.resolveTerm(modifier.target, new Set());
    const replacedFunction = this.functionNamed(modifier.target, target);
    const resolvedValue = this.resolveTerm(modifier.value, scope);
    const replacementFunction = this.functionNamed(modifier.value, resolvedValue, scope);
    if (replacedFunction) {
      const name = dottedName(modifier.target) as string;
      if (replacementFunction && this.functionArity(replacementFunction) !== this.functionArity(replacedFunction)) {
        throw new RegoError('rego_type_error', `with keyword replacing ${name}: the replacement must take ${this.functionArity(replacedFunction)} arguments`, modifier.location);
      }
      // Names, not terms: a function is no value, so neither side may be read as a variable.
      const nameTerm = (text: string): Term => ({ type: 'scalar', value: text, location: modifier.location });
      const value = replacementFunction ? nameTerm(dottedName(modifier.value) as string) : resolvedValue;
      return { ...modifier, target: nameTerm(name), value, replacedFunction, replacementFunction };
    }
    const head = target.type === 'ref' ? target.head : target;
    const path = target.type === 'ref' ? target.path : [];
    if (head.type !== 'var' || !ROOT_DOCUMENTS.has(head.name) || path.some((step) => step.type !== 'scalar' || typeof step.value !== 'string')) {
      throw new RegoError('rego_compile_error', 'with keyword target must reference input, data, a function or a built-in', modifier.location);
    }
    return { ...modifier, target, value: resolvedValue };
  }

  /** The function or built-in a `with` operand names (as written, and resolved), if it names one. */
  private functionNamed(written: Term, resolved: Term, scope: ReadonlySet<string> = new Set()): FunctionRef | undefined {
    const path = dottedName(resolved)?.split('.');
    if (path?.[0] === 'data') {
      const group = findRuleGroup(this.root, path.slice(1));
      return group?.kind === 'function' ? { rule: group.path } : undefined;
    }
    const name = dottedName(written);
    if (name === undefined || scope.has(name.split('.')[0]) || ROOT_DOCUMENTS.has(name.split('.')[0])) return undefined;
    return BUILTINS.has(name) && !name.startsWith('internal.') ? { builtin: name } : undefined;
  }

  private functionArity(ref: FunctionRef): number {
    return 'builtin' in ref ? (BUILTINS.get(ref.builtin) as { arity: number }).arity : (findRuleGroup(this.root, ref.rule) as RuleGroup).arity;
  }

  resolveTerm(term: Term, scope: Set<string>): Term {
    const map = (inner: Term) => this.resolveTerm(inner, scope);
    switch (term.type) {
      case 'var':
        return this.resolveVar(term, scope) ?? term;
      case 'ref': {
        // A head that resolves to a ref (`lib.x` with `lib` imported) is joined with it: `data.lib.x`.
        const head = map(term.head);
        const path = term.path.map(map);
        return head.type === 'ref' ? { ...term, head: head.head, path: [...head.path, ...path] } : { ...term, head, path };
      }
      case 'call':
        return this.resolveCall(term, scope);
      case 'arrayComprehension':
      case 'setComprehension': {
        const inner = new Set([...scope, ...declaredIn(term.body)]);
        return { ...term, term: this.resolveTerm(term.term, inner), body: term.body.map((literal) => this.resolveLiteral(literal, inner)) };
      }
      case 'objectComprehension': {
        const inner = new Set([...scope, ...declaredIn(term.body)]);
        return {
          ...term,
          key: this.resolveTerm(term.key, inner),
          value: this.resolveTerm(term.value, inner),
          body: term.body.map((literal) => this.resolveLiteral(literal, inner)),
        };
      }
      default:
        return mapChildTerms(term, map);
    }
  }

  /** A rule of the package or an import alias becomes a ref into data or input; locals stay variables. */
  private resolveVar({ name, location }: VarTerm, scope: Set<string>): Term | undefined {
    if (isWildcard(name) || scope.has(name) || ROOT_DOCUMENTS.has(name)) return undefined;
    const imported = this.imports.get(name);
    if (imported) return pathToTerm(imported, location);
    if (this.packageRules.has(name)) return pathToTerm(['data', ...this.module.packagePath, name], location);
    return undefined;
  }

  private resolveCall(call: CallTerm, scope: Set<string>): Term {
    const args = call.args.map((arg) => this.resolveTerm(arg, scope));
    const parts = call.operator.split('.');
    let path: string[] | undefined;
    const imported = this.imports.get(parts[0]);
    if (imported && !scope.has(parts[0])) path = [...imported, ...parts.slice(1)];
    else if (parts[0] === 'data') path = parts;
    else if (this.packageRules.has(parts[0])) path = ['data', ...this.module.packagePath, ...parts];
    if (path) {
      const group = path[0] === 'data' ? findRuleGroup(this.root, path.slice(1)) : undefined;
      if (!group) throw new RegoError('rego_compile_error', `undefined function ${path.join('.')}`, call.location);
      // `f()` reads the complete rule `f() = x { … }`.
      if (group.kind === 'complete' && args.length === 0) return pathToTerm(['data', ...group.path], call.location);
      if (group.kind !== 'function') throw new RegoError('rego_compile_error', `${path.join('.')} is a rule, not a function`, call.location);
      checkArity(call, path.join('.'), group.arity);
      return { ...call, args, target: group.path };
    }
    if (call.operator === 'print') return this.printCall(call, args);
    if (unavailableOffline(call.operator)) throw new RegoError('rego_compile_error', `${call.operator} is not available offline: the evaluator reaches no network or key material`, call.location);
    const builtin = BUILTINS.get(call.operator);
    if (!builtin) throw new RegoError('rego_compile_error', `undefined function ${call.operator}`, call.location);
    checkArity(call, call.operator, builtin.arity);
    return { ...call, args };
  }

  /**
   * OPA's rewrite of `print(a, b)`: `internal.print([{#0 | #0 = a}, {#1 | #1 = b}])`, so that an undefined operand
   * prints `<undefined>` instead of failing the body.
   */
  private printCall(call: CallTerm, args: Term[]): CallTerm {
    const { location } = call;
    const operands: Term[] = args.map((arg) => {
      const value = this.names.fresh(location);
      return { type: 'setComprehension', term: value, body: [{ negated: false, expr: { type: 'unify', left: value, right: arg }, withs: [], location }], location };
    });
    return { ...call, operator: 'internal.print', args: [{ type: 'array', items: operands, location }] };
  }

  private arityOf(call: CallTerm): number {
    if (call.target) return (findRuleGroup(this.root, call.target) as RuleGroup).arity;
    return (BUILTINS.get(call.operator) as { arity: number }).arity;
  }
}

/** A call takes its inputs, and optionally one more argument that receives the result. */
function checkArity(call: CallTerm, name: string, arity: number): void {
  if (call.args.length !== arity && call.args.length !== arity + 1) {
    throw new RegoError('rego_compile_error', `function ${name} takes ${arity} argument${arity === 1 ? '' : 's'}, ${call.args.length} given`, call.location);
  }
}

/** Variables a body declares for itself: `some`, `:=`, and the names bound by `some … in`. */
function declaredIn(body: readonly Literal[]): Set<string> {
  const declared = new Set<string>();
  for (const { expr } of body) {
    if (expr.type === 'some') expr.names.forEach((name) => declared.add(name));
    else if (expr.type === 'assign') termVars(expr.left, { skipRefHeads: true }, declared);
    else if (expr.type === 'someIn') {
      if (expr.key) termVars(expr.key, {}, declared);
      termVars(expr.value, {}, declared);
    }
  }
  return declared;
}

function pathToTerm(path: readonly string[], location: Location): Term {
  const head: Term = { type: 'var', name: path[0], location };
  if (path.length === 1) return head;
  const ref: RefTerm = { type: 'ref', head, path: path.slice(1).map((name) => ({ type: 'scalar', value: name, location })), location };
  return ref;
}
