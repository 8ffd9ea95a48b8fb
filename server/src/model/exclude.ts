/** `aksPolicy.exclude`: glob patterns (`**`, `*`, `?`) of files that are never checked. */
export function isExcludedFile(uri: string, patterns: readonly string[], workspaceFolders: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const path = decodeURIComponent(uri.replace(/^file:\/\//, ''));
  const candidates = [path];
  for (const folder of workspaceFolders) {
    const root = decodeURIComponent(folder.replace(/^file:\/\//, '')).replace(/\/?$/, '/');
    if (path.startsWith(root)) candidates.push(path.slice(root.length));
  }
  return patterns.some((pattern) => {
    const regex = globToRegExp(pattern);
    return candidates.some((candidate) => regex.test(candidate));
  });
}

export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A relative pattern may match at any depth below a folder, as VS Code's files.exclude does.
  const anchored = pattern.startsWith('/') || pattern.startsWith('**') ? `^${source}$` : `^(?:.*/)?${source}$`;
  return new RegExp(anchored);
}
