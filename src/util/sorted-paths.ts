/**
 * The paths under a folder in a sorted list of repository paths: one run of the list, found by bisection
 * (`'.'` or `''`: the whole list).
 */
export function pathsUnder(sorted: readonly string[], dir: string): readonly string[] {
  if (dir === '.' || dir === '') return sorted;
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end]!.startsWith(prefix)) end++;
  return sorted.slice(lo, end);
}
