/** Line bookkeeping for offsets: positions are computed only at the boundary (diagnostics, CLI output). */

/** Offsets where each line starts. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** 0-based line and UTF-16 character of an offset, as LSP and SARIF count them. */
export function positionOf(lineStarts: readonly number[], offset: number): { line: number; character: number } {
  const line = lineOf(lineStarts, offset);
  return { line, character: offset - lineStarts[line] };
}
