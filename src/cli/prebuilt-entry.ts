/**
 * dist/bin/help.cjs, which the bins try before the CLI: the prebuilt help and
 * version texts (build.mjs defines ARCHKIT_PREBUILT_TABLE when it bundles this
 * file, as CommonJS) and the code that prints them. See prebuilt-output.ts.
 */
import type { BinName } from './main.js';
import { isTerminal, printPrebuilt as print, type PrebuiltTable, type Terminal } from './prebuilt-output.js';

declare const ARCHKIT_PREBUILT_TABLE: PrebuiltTable;

export const table: PrebuiltTable = ARCHKIT_PREBUILT_TABLE;

const processTerminal: Terminal = {
  // node:tty only when fstat cannot tell: it costs 6 ms.
  isTTY: (fd) => isTerminal(fd, (f) => (require('node:tty') as typeof import('node:tty')).isatty(f)),
  columns: (fd) => (fd === 1 ? process.stdout : process.stderr).columns,
};

/** Prints the prebuilt output for this run and returns its exit code; undefined: nothing printed, run the CLI. */
export function printPrebuilt(bin: BinName, argv: readonly string[] = process.argv.slice(2)): number | undefined {
  return print(table, bin, argv, processTerminal);
}
