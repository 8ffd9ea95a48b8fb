// The command table. Every command takes its choice as an optional first argument, so it can be run
// from a keybinding, a script or a test without UI; without one it asks with a QuickPick.
import * as vscode from 'vscode';
import {
  FixAllKind,
  type ActiveConstraintsResult,
  type CatalogDefinition,
  type CatalogInitiative,
  type CatalogResult,
  type CheckWorkspaceResult,
  type TestTemplateResult,
} from '../../server/src/protocol';
import { findInitiative, knownNames, settingValue } from './catalog';
import {
  EFFECTS,
  activeDocumentUri,
  disablingSource,
  memberEffect,
  parseEffect,
  readSettings,
  writeEffect,
  writeInitiative,
  writePolicyEffect,
  type ClientSettings,
  type Effect,
} from './config';
import type { ConstraintsView } from './constraintsView';
import { renderActiveConstraints } from './render';
import { renderTemplateTests } from './templateTests';

/** What the commands ask the language server. */
export interface PolicyServer {
  catalog(): Promise<CatalogResult>;
  checkWorkspace(): Promise<CheckWorkspaceResult>;
  activeConstraints(uri: vscode.Uri | undefined): Promise<ActiveConstraintsResult>;
  testTemplate(uri: vscode.Uri): Promise<TestTemplateResult>;
}

export const TEST_TEMPLATE = 'aksPolicy.testTemplate';

export const SELECT_INITIATIVE = 'aksPolicy.selectInitiative';

type Command = (...args: unknown[]) => Promise<unknown>;

/** Registers every command; a failure becomes an error message (and a log line), never a throw. */
export function registerCommands(server: PolicyServer, view: ConstraintsView, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const testOutput = vscode.window.createOutputChannel('AKS Policy Tests');
  const table: Record<string, Command> = {
    [SELECT_INITIATIVE]: (choice) => selectInitiative(server, choice),
    'aksPolicy.selectEffect': (choice) => selectEffect(choice),
    'aksPolicy.showActiveConstraints': (target) => showActiveConstraints(server, view, target),
    'aksPolicy.togglePolicy': (referenceId, state) => togglePolicy(server, referenceId, state),
    'aksPolicy.fixAll': (target) => fixAll(target),
    'aksPolicy.checkWorkspace': () => checkWorkspace(server),
    [TEST_TEMPLATE]: (target) => testTemplate(server, testOutput, target),
  };
  const commands = Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`AKS Policy: ${message}`);
        return undefined;
      }
    }),
  );
  return [testOutput, ...commands];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A document named by a URI (as `vscode.Uri` or string) or a file path. */
function toUri(value: unknown, command: string): vscode.Uri {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    // Two letters at least before the colon, so `C:\x.yaml` is a path, not a URI with scheme `c`.
    return /^[a-z][\w+.-]+:/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
  }
  throw new Error(`${command} takes a document URI or path, not ${kindOf(value)}.`);
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

// Select Initiative

interface InitiativeItem extends vscode.QuickPickItem {
  initiative: CatalogInitiative;
}

async function selectInitiative(server: PolicyServer, choice: unknown): Promise<string | undefined> {
  const scope = activeDocumentUri();
  const { initiatives } = await server.catalog();
  const initiative = choice === undefined ? await pickInitiative(initiatives, readSettings(scope).initiative) : initiativeNamed(initiatives, choice);
  if (!initiative) return undefined;
  const value = settingValue(initiative);
  await writeInitiative(value, scope);
  return value;
}

function initiativeNamed(initiatives: CatalogInitiative[], choice: unknown): CatalogInitiative {
  if (typeof choice !== 'string') throw new Error(`Select Initiative takes an initiative alias or id, not ${kindOf(choice)}.`);
  const initiative = findInitiative(initiatives, choice);
  if (!initiative) throw new Error(`Unknown initiative '${choice}'. Known: ${knownNames(initiatives)}.`);
  return initiative;
}

async function pickInitiative(initiatives: CatalogInitiative[], current: string): Promise<CatalogInitiative | undefined> {
  const active = findInitiative(initiatives, current);
  const items: InitiativeItem[] = initiatives.map((initiative) => ({
    label: `${initiative.displayName} (${initiative.version})`,
    description: initiative === active ? `${settingValue(initiative)} · current` : settingValue(initiative),
    detail: plural(initiative.members.length, 'policy', 'policies'),
    initiative,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'AKS Policy: Select Initiative',
    placeHolder: 'The Azure Policy initiative to check manifests against',
    matchOnDescription: true,
  });
  return picked?.initiative;
}

// Select Effect

const EFFECT_DETAILS: Record<Effect, string> = {
  audit: 'Warnings: the cluster admits the resource and reports it non-compliant.',
  deny: 'Errors: the cluster rejects the resource at admission.',
  disabled: 'Nothing: the initiative is not enforced.',
};

interface EffectItem extends vscode.QuickPickItem {
  effect: Effect;
}

async function selectEffect(choice: unknown): Promise<Effect | undefined> {
  const scope = activeDocumentUri();
  let effect: Effect | undefined;
  if (choice === undefined) {
    effect = await pickEffect(readSettings(scope).effect);
    if (!effect) return undefined;
  } else {
    effect = parseEffect(choice);
    if (!effect) throw new Error(`Select Effect takes ${EFFECTS.join(', ')}, not ${kindOf(choice)}.`);
  }
  await writeEffect(effect, scope);
  return effect;
}

async function pickEffect(current: Effect): Promise<Effect | undefined> {
  const items: EffectItem[] = EFFECTS.map((effect) => ({
    label: effect,
    description: effect === current ? 'current' : undefined,
    detail: EFFECT_DETAILS[effect],
    effect,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'AKS Policy: Select Effect', placeHolder: 'What the initiative does on a violation' });
  return picked?.effect;
}

// Show Active Constraints

async function showActiveConstraints(server: PolicyServer, view: ConstraintsView, target: unknown): Promise<string> {
  const uri = target === undefined ? activeDocumentUri() : toUri(target, 'Show Active Constraints');
  const markdown = renderActiveConstraints(await server.activeConstraints(uri), uri?.toString());
  await view.show(markdown, uri);
  return markdown;
}

// Enable or Disable a Policy

/** A policy the toggle can switch: a member of the initiative, or a built-in definition assigned beside it. */
interface Switchable {
  /** The `aksPolicy.policies` key. */
  key: string;
  displayName: string;
  template: string;
  member: boolean;
}

interface SwitchableItem extends vscode.QuickPickItem {
  policy?: Switchable;
}

/**
 * Switches a policy: a member between disabled and the initiative's effect; a single built-in definition
 * between assigned (with the initiative's effect) and disabled. Returns the effect it now runs with.
 */
async function togglePolicy(server: PolicyServer, referenceId: unknown, state: unknown): Promise<Effect | undefined> {
  const wanted = toggleState(state);
  const scope = activeDocumentUri();
  const settings = readSettings(scope);
  const { initiatives, definitions } = await server.catalog();
  const initiative = findInitiative(initiatives, settings.initiative);
  if (!initiative && settings.initiative.toLowerCase() !== 'none') throw new Error(`The initiative '${settings.initiative}' is not known. Known: ${knownNames(initiatives)}.`);
  const choices = switchables(initiative, definitions);
  const policy = referenceId === undefined ? await pickPolicy(initiative, choices, settings) : policyNamed(choices, referenceId);
  if (!policy) return undefined;

  const current = policyEffect(settings, policy);
  const disable = wanted === undefined ? current !== 'disabled' : wanted === 'disabled';
  // A member without an override runs with the initiative's effect; a single definition needs one to be assigned.
  const enabled = policy.member ? undefined : settings.effect === 'disabled' ? 'audit' : settings.effect;
  await writePolicyEffect(policy.key, disable ? 'disabled' : enabled, scope);
  const effect = policyEffect(readSettings(scope), policy);
  if (!disable && effect === 'disabled') {
    // Settings merge across levels: an override elsewhere (or the initiative's effect) still wins.
    const source = disablingSource(policy.key, scope);
    void vscode.window.showWarningMessage(`AKS Policy: ${policy.key} is still disabled${source ? ` by ${source}` : ''}.`);
  }
  return effect;
}

function toggleState(state: unknown): 'enabled' | 'disabled' | undefined {
  if (state === undefined || state === 'enabled' || state === 'disabled') return state;
  throw new Error(`Enable or Disable a Policy takes 'enabled' or 'disabled' as its second argument, not ${kindOf(state)}.`);
}

function switchables(initiative: CatalogInitiative | undefined, definitions: readonly CatalogDefinition[]): Switchable[] {
  const members = (initiative?.members ?? []).map((m) => ({ key: m.referenceId, displayName: m.displayName, template: m.template, member: true }));
  const memberIds = new Set(initiative?.members.map((m) => m.definitionId));
  const others = definitions
    .filter((d) => !memberIds.has(d.definitionId))
    .map((d) => ({ key: d.name, displayName: d.displayName, template: d.template, member: false }));
  return [...members, ...others];
}

/** A single definition that is not in `aksPolicy.policies` is not assigned: it counts as disabled. */
function policyEffect(settings: ClientSettings, policy: Switchable): Effect {
  if (!policy.member && !Object.hasOwn(settings.policies, policy.key)) return 'disabled';
  return memberEffect(settings, policy.key);
}

function policyNamed(choices: readonly Switchable[], referenceId: unknown): Switchable {
  if (typeof referenceId !== 'string') throw new Error(`Enable or Disable a Policy takes a policy reference id or a definition name, not ${kindOf(referenceId)}.`);
  const lower = referenceId.toLowerCase();
  const policy = choices.find((c) => c.key === referenceId) ?? choices.find((c) => c.key.toLowerCase() === lower);
  if (!policy) {
    const known = choices.filter((c) => c.member).map((c) => c.key).join(', ');
    throw new Error(`'${referenceId}' is neither a policy of the initiative (${known || 'none'}) nor a built-in definition.`);
  }
  return policy;
}

async function pickPolicy(initiative: CatalogInitiative | undefined, choices: readonly Switchable[], settings: ClientSettings): Promise<Switchable | undefined> {
  const item = (policy: Switchable): SwitchableItem => {
    const effect = policyEffect(settings, policy);
    return {
      label: `${effect === 'disabled' ? '$(circle-slash)' : '$(shield)'} ${policy.displayName}`,
      description: policy.member ? effect : effect === 'disabled' ? 'not assigned' : `assigned alone · ${effect}`,
      detail: `${policy.key} · ${policy.template}`,
      policy,
    };
  };
  const items: SwitchableItem[] = [
    { label: initiative ? initiative.displayName : 'No initiative', kind: vscode.QuickPickItemKind.Separator },
    ...choices.filter((c) => c.member).map(item),
    { label: 'Built-in definitions, assigned on their own', kind: vscode.QuickPickItemKind.Separator },
    ...choices.filter((c) => !c.member).map(item),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'AKS Policy: Enable or Disable a Policy',
    placeHolder: 'A disabled policy goes back to the initiative effect; any other is disabled',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.policy;
}

// Fix All in File

/** Resolve the first action too, in case the server computes its edit lazily (codeAction/resolve). */
const RESOLVE_FIRST_ACTION = 1;

/** Applies the server's fix-all action to a document; returns whether anything changed. */
async function fixAll(target: unknown): Promise<boolean> {
  const document = target === undefined ? activeDocument() : await vscode.workspace.openTextDocument(toUri(target, 'Fix All in File'));
  const wholeDocument = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    wholeDocument,
    FixAllKind,
    RESOLVE_FIRST_ACTION,
  );
  const fix = actions?.find(isCodeAction);
  const name = vscode.workspace.asRelativePath(document.uri, false);
  if (!fix?.edit || fix.edit.size === 0) {
    void vscode.window.showInformationMessage(`AKS Policy: nothing to fix in ${name}.`);
    return false;
  }
  if (!(await vscode.workspace.applyEdit(fix.edit))) throw new Error(`The fixes for ${name} could not be applied.`);
  if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  return true;
}

function activeDocument(): vscode.TextDocument {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) throw new Error('Open a YAML file to fix.');
  return document;
}

/** The provider command returns code actions and bare commands alike; a bare command's `command` is its id. */
function isCodeAction(item: vscode.CodeAction | vscode.Command): item is vscode.CodeAction {
  return typeof item.command !== 'string';
}

// Check Workspace

/** Checks every YAML file of the workspace into the Problems panel; returns the summary. */
async function checkWorkspace(server: PolicyServer): Promise<CheckWorkspaceResult> {
  const result = await server.checkWorkspace();
  const skipped = result.skipped > 0 ? ` (${plural(result.skipped, 'file', 'files')} skipped: too large or unreadable)` : '';
  void vscode.window.showInformationMessage(
    `AKS Policy: ${plural(result.findings, 'finding', 'findings')} in ${result.filesWithFindings} of ${plural(result.files, 'YAML file', 'YAML files')}${skipped}; see the Problems panel.`,
  );
  return result;
}

// Test This Template

async function testTemplate(server: PolicyServer, output: vscode.OutputChannel, target: unknown): Promise<TestTemplateResult> {
  if (!vscode.workspace.isTrusted) throw new Error('Test This Template runs the workspace\'s own Rego: trust the workspace first.');
  const uri = target === undefined ? activeDocumentUri() : toUri(target, 'Test This Template');
  if (!uri) throw new Error('Test This Template needs a ConstraintTemplate or a custom definition open in the editor.');
  const result = await server.testTemplate(uri);
  const report = renderTemplateTests(result, (file) => vscode.workspace.asRelativePath(vscode.Uri.parse(file, true)));
  output.clear();
  for (const line of report.lines) output.appendLine(line);
  output.show(true);
  if (report.failed) void vscode.window.showWarningMessage(report.summary);
  else void vscode.window.showInformationMessage(report.summary);
  return result;
}
