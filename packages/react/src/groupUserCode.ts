/**
 * Splits a user code into the groups it is shown in: at its own separators (`ABCD-EFGH` → `['ABCD', 'EFGH']`),
 * or, when it has none, into balanced groups of at most four characters (`WDJBMJHT` → `['WDJB', 'MJHT']`), which
 * are easier to compare across two screens than one long run (aws-toolkit-vscode#3904).
 */
export function groupUserCode(userCode: string): string[] {
  const parts = userCode.split(/[\s-]+/).filter((part) => part !== '');
  if (parts.length !== 1) return parts;
  const [code] = parts as [string];
  const count = Math.ceil(code.length / 4);
  // Spread the remainder over the first groups: 9 characters → 3 + 3 + 3, not 4 + 4 + 1.
  const size = Math.floor(code.length / count);
  const start = (index: number) => index * size + Math.min(index, code.length % count);
  return Array.from({ length: count }, (_, index) => code.slice(start(index), start(index + 1)));
}
