/**
 * Splits a `programArgs` string as Flink's JarHandlerUtils.tokenizeArguments does: on whitespace,
 * with single or double quotes grouping words (the quotes themselves dropped).
 */
export function tokenizeArguments(args: string | undefined): string[] {
  if (!args) return [];
  const tokens: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(args); m !== null; m = re.exec(args)) tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  return tokens;
}
