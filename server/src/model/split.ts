/**
 * Splits a multi-document YAML text at its `---` document markers without parsing it,
 * so that each document can be parsed (and its verdicts cached) on its own.
 * A marker at column 0 always starts a document in YAML 1.2 and 1.1: block scalars and
 * quoted scalars cannot contain one, so a line scan is exact.
 */
export interface DocumentChunk {
  /** Offset of the chunk's first character in the whole text. */
  start: number;
  text: string;
}

/** At the start of the text or of a line (after `\n`: the documents then start lines as the editor counts them). */
const MARKER = /(?<![^\n])---(?=[ \t\r\n]|$)/g;

export function splitDocuments(text: string): DocumentChunk[] {
  const starts = [0];
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    if (match.index > 0) starts.push(match.index);
  }
  return starts.map((start, i) => ({ start, text: text.slice(start, starts[i + 1] ?? text.length) }));
}
