/**
 * `# aks-policy-ignore <template> -- <reason>` comments: written on the line(s) right above a resource
 * or a field, they silence that template there. A reason is required.
 */
export interface Suppression {
  template: string;
  reason: string;
  /** Offsets of the comment within the document text. */
  start: number;
  end: number;
  /** The line the comment applies to: the first line below its comment block that is not a comment. */
  targetLine: number;
}

const DIRECTIVE = /#\s*aks-policy-ignore\b[ \t]*(\S*)[ \t]*(?:--[ \t]*(.*?))?[ \t]*\r?$/;

export function findSuppressions(text: string, lineStarts: readonly number[]): Suppression[] {
  if (!text.includes('aks-policy-ignore')) return [];
  const found: Suppression[] = [];
  let pending: Omit<Suppression, 'targetLine'>[] = [];
  for (let line = 0; line < lineStarts.length; line++) {
    const start = lineStarts[line];
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
    const content = text.slice(start, end).replace(/\r?\n$/, '');
    const trimmed = content.trim();
    if (trimmed.startsWith('#')) {
      const match = DIRECTIVE.exec(trimmed);
      if (match) {
        const at = start + content.indexOf('#');
        pending.push({ template: match[1], reason: match[2] ?? '', start: at, end: start + content.length });
      }
      continue;
    }
    if (trimmed === '' || trimmed === '---') continue;
    found.push(...pending.map((suppression) => ({ ...suppression, targetLine: line })));
    pending = [];
  }
  return found;
}
