// Typed access to the aksPolicy.* settings the client reads or writes. Every setting is
// resource-scoped, so reads take the document they are for; the server does its own full reading.
import * as vscode from 'vscode';

export const SECTION = 'aksPolicy';

export type Effect = 'audit' | 'deny' | 'disabled';
export const EFFECTS: readonly Effect[] = ['audit', 'deny', 'disabled'];

const DEFAULT_INITIATIVE = 'baseline';
const DEFAULT_EFFECT: Effect = 'audit';

/** `aksPolicy.policies`: overrides keyed by policyDefinitionReferenceId, kept as the user wrote them. */
export type PolicyOverrides = Record<string, unknown>;

export interface ClientSettings {
  /** Alias (`baseline`, `restricted`) or id of the initiative. */
  initiative: string;
  effect: Effect;
  policies: PolicyOverrides;
}

/** The document the user is working on; settings are read for it. Virtual documents (our own view) do not count. */
export function activeDocumentUri(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && (uri.scheme === 'file' || uri.scheme === 'untitled') ? uri : undefined;
}

/** Azure accepts effects in any case (`Audit`, `deny`). */
export function parseEffect(value: unknown): Effect | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return EFFECTS.find((effect) => effect === lower);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The settings that apply to `scope` (a document), falling back to defaults on bad values as the server does. */
export function readSettings(scope?: vscode.Uri): ClientSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const initiative = config.get<unknown>('initiative');
  const policies = config.get<unknown>('policies');
  return {
    initiative: typeof initiative === 'string' && initiative.trim() !== '' ? initiative.trim() : DEFAULT_INITIATIVE,
    effect: parseEffect(config.get<unknown>('effect')) ?? DEFAULT_EFFECT,
    policies: isPlainObject(policies) ? policies : {},
  };
}

/** The effect one member of the initiative runs with: its own override, else the initiative's. */
export function memberEffect(settings: ClientSettings, referenceId: string): Effect {
  return overrideEffect(settings.policies[referenceId]) ?? settings.effect;
}

function overrideEffect(entry: unknown): Effect | undefined {
  return isPlainObject(entry) ? parseEffect(entry.effect) : undefined;
}

/** Choices go to the workspace when a folder is open, so they travel with the repository; else to the user. */
function writeTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export async function writeInitiative(value: string, scope?: vscode.Uri): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION, scope).update('initiative', value, writeTarget());
}

export async function writeEffect(value: Effect, scope?: vscode.Uri): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION, scope).update('effect', value, writeTarget());
}

/**
 * Sets or removes (`undefined`) the effect override of one policy. Starts from the value stored at the
 * written level, not the merged one, so entries from other levels are not copied into it, and keeps the
 * entry's other keys (its parameters).
 */
export async function writePolicyEffect(referenceId: string, effect: Effect | undefined, scope?: vscode.Uri): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const target = writeTarget();
  const inspected = config.inspect<unknown>('policies');
  const stored = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const policies: PolicyOverrides = isPlainObject(stored) ? { ...stored } : {};
  const current = policies[referenceId];
  const entry: Record<string, unknown> = isPlainObject(current) ? { ...current } : {};
  if (effect === undefined) delete entry.effect;
  else entry.effect = effect;
  if (Object.keys(entry).length > 0) policies[referenceId] = entry;
  else delete policies[referenceId];
  await config.update('policies', Object.keys(policies).length > 0 ? policies : undefined, target);
}

/** Where a setting that still disables `referenceId` after our write comes from, for the user to look at. */
export function disablingSource(referenceId: string, scope?: vscode.Uri): string | undefined {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const policies = config.inspect<unknown>('policies');
  const levels: [string, unknown][] = [
    ['folder settings', policies?.workspaceFolderValue],
    ['workspace settings', policies?.workspaceValue],
    ['user settings', policies?.globalValue],
  ];
  for (const [level, value] of levels) {
    if (isPlainObject(value) && overrideEffect(value[referenceId]) === 'disabled') return `aksPolicy.policies in ${level}`;
  }
  return readSettings(scope).effect === 'disabled' ? 'aksPolicy.effect (disabled)' : undefined;
}
