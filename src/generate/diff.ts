/**
 * Unified diffs of planned changes (`--dry-run`, `--check`), computed by the
 * `diff` package: `--- a/<path>`, `+++ b/<path>`, hunks with three lines of
 * context, as `git diff` prints them.
 */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';

/** The unified diff from `before` to `after` of the file at `path` (relative, forward slashes); '' when they are equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}
