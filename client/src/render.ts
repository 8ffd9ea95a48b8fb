// Markdown the client shows: the active constraints document and the status bar tooltip.
// Free of `vscode` so it can be tested on its own.
import type { ActiveConstraintInfo, ActiveConstraintsResult, CatalogInitiative } from '../../server/src/protocol';

/** Escapes text for Markdown, table cells included. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Columns padded to their widest cell, as kubectl prints them. */
function kubectlTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] + 3)))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function fenced(language: string, body: string): string {
  return `\`\`\`${language}\n${body}\n\`\`\``;
}

function listOrAll(values: string[], all: string): string {
  return values.length > 0 ? values.map((value) => `\`${value}\``).join(', ') : all;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function renderConstraint(constraint: ActiveConstraintInfo): string {
  const { match } = constraint;
  return [
    `### ${constraint.referenceId}`,
    '',
    constraint.displayName,
    '',
    `- Kind: \`${constraint.kind}\` (template \`${constraint.template}\`)`,
    `- Effect: ${constraint.effect}`,
    `- Match kinds: ${listOrAll(match.kinds, 'all')}`,
    `- Namespaces: ${listOrAll(match.namespaces, 'all')}`,
    `- Excluded namespaces: ${listOrAll(match.excludedNamespaces, 'none')}`,
    `- Label selector: ${isEmpty(match.labelSelector) ? 'none' : `\`${JSON.stringify(match.labelSelector)}\``}`,
    '',
    'Parameters:',
    '',
    fenced('json', JSON.stringify(constraint.parameters ?? {}, null, 2)),
  ].join('\n');
}

/**
 * What is in force for `target` (a document URI; the workspace when absent), as Markdown meant to be
 * read as text in an editor, so names are left unescaped.
 */
export function renderActiveConstraints(result: ActiveConstraintsResult, target: string | undefined): string {
  const { initiative, constraints, problems } = result;
  const sections = [
    '# AKS Policy: active constraints',
    '',
    `- Initiative: **${initiative.displayName}**, version ${initiative.version} (\`${initiative.id}\`)`,
    `- Effect: **${result.effect}**`,
    `- For: ${target ? `\`${target}\`` : 'the workspace'}`,
    '',
    '## Constraint templates',
    '',
  ];
  if (constraints.length === 0) {
    sections.push('No constraint is in force.');
  } else {
    const rows = constraints.map((c) => [c.template, c.kind, c.effect, c.referenceId]);
    sections.push(fenced('text', kubectlTable(['NAME', 'KIND', 'EFFECT', 'POLICY'], rows)), '', '## Constraints');
    for (const constraint of constraints) sections.push('', renderConstraint(constraint));
  }
  sections.push('', '## Settings problems', '');
  sections.push(problems.length > 0 ? problems.map((problem) => `- ${problem}`).join('\n') : 'None.');
  return `${sections.join('\n')}\n`;
}

export interface TooltipMember {
  displayName: string;
  template: string;
  effect: string;
}

/** The status bar tooltip: the initiative, its version and each definition with its template and effect. */
export function renderInitiativeTooltip(initiative: CatalogInitiative, effect: string, members: TooltipMember[]): string {
  const rows = members.map((m) => `| ${escapeMarkdown(m.displayName)} | \`${m.template}\` | ${m.effect} |`);
  return [
    `**${escapeMarkdown(initiative.displayName)}**, version ${escapeMarkdown(initiative.version)}`,
    '',
    `Effect: ${effect}. Click to choose another initiative.`,
    '',
    '| Policy | Template | Effect |',
    '| :-- | :-- | :-- |',
    ...rows,
  ].join('\n');
}
