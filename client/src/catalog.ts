// Reading the server's catalog. Free of `vscode` so it can be tested on its own.
import type { CatalogInitiative } from '../../server/src/protocol';

/** Last segment of a resource id: `/providers/.../policySetDefinitions/<guid>` → `<guid>`. */
function idTail(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** The initiative an `aksPolicy.initiative` value names: its alias, or its GUID alone or as a full resource id (any case). */
export function findInitiative(initiatives: readonly CatalogInitiative[], value: string): CatalogInitiative | undefined {
  const wanted = value.trim().toLowerCase();
  return initiatives.find((initiative) => initiative.alias?.toLowerCase() === wanted || idTail(initiative.id).toLowerCase() === idTail(wanted));
}

/** What a setting should store for an initiative: its alias when it has one, so settings stay readable. */
export function settingValue(initiative: CatalogInitiative): string {
  return initiative.alias ?? initiative.id;
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** An alias as a title: `pss-baseline` → `PSS Baseline`; the standards' acronyms stay upper case. */
function titleOf(alias: string): string {
  return alias
    .split('-')
    .map((part) => (ACRONYMS.has(part) ? part.toUpperCase() : capitalize(part)))
    .join(' ');
}

const ACRONYMS = new Set(['pss', 'cis', 'aks']);

const SHORT_NAME_LENGTH = 24;

/** A name that fits the status bar: `Baseline`, else the display name, else the setting itself, cut short. */
export function shortInitiativeName(value: string, initiative: CatalogInitiative | undefined): string {
  const name = initiative?.alias ? titleOf(initiative.alias) : (initiative?.displayName ?? capitalize(value));
  return name.length > SHORT_NAME_LENGTH ? `${name.slice(0, SHORT_NAME_LENGTH - 1)}…` : name;
}

/** Names to offer when a value matches nothing. */
export function knownNames(initiatives: readonly CatalogInitiative[]): string {
  return initiatives.map(settingValue).join(', ');
}
