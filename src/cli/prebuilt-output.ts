/**
 * Top-level help and version, prebuilt: build.mjs runs the built CLI for each
 * argv in PREBUILT_ARGVS and stores what it printed (dist/bin/help.cjs), and
 * the bins print that text without loading the CLI bundle. The output is
 * only used where the CLI would print the very same bytes: commander wraps
 * help to the width of a terminal, so on a terminal the text is used only at
 * the widths recorded for it. A unit test renders every entry again from
 * src/ so the two cannot drift.
 *
 * What runs in the bins imports node:fs only (node:tty costs 6 ms: it loads net
 * and streams); `main` is a type here.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import type { BinName, main as cliMain } from './main.js';

/** The argument lists answered from prebuilt text, per bin (exact lists; anything else runs the CLI). */
export const PREBUILT_ARGVS: Readonly<Record<BinName, readonly (readonly string[])[]>> = {
  arch: [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v']],
  archkit: [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v']],
  'create-service': [['--help'], ['-h'], ['--version'], ['-v']],
};

/** Terminal widths tried at build time; a wider terminal runs the CLI unless the text never depends on width. */
export const MAX_PREBUILT_COLUMNS = 200;

export interface PrebuiltOutput {
  argv: readonly string[];
  /** 1 (stdout) or 2 (stderr): the one stream the CLI writes to. */
  fd: 1 | 2;
  text: string;
  exitCode: number;
  /**
   * When `fd` is a terminal, the widths (inclusive ranges) at which the CLI prints this same text;
   * null when the text is the same at every width. Not a terminal: always this text (commander's default width).
   */
  columns: ReadonlyArray<readonly [number, number]> | null;
}

export type PrebuiltTable = Readonly<Record<BinName, readonly PrebuiltOutput[]>>;

/** What the bins know of their output streams, injectable for tests. */
export interface Terminal {
  isTTY(fd: 1 | 2): boolean;
  /** The terminal's width, as `process.stdout.columns` reports it. */
  columns(fd: 1 | 2): number | undefined;
}

/**
 * Whether `fd` is a terminal, asking `isatty` (node:tty) only when fstat cannot
 * tell: files, pipes, sockets and /dev/null (a character device, like a
 * terminal) are not terminals.
 */
export function isTerminal(fd: number, isatty: (fd: number) => boolean, devNull = '/dev/null'): boolean {
  let rdev: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    rdev = stat.rdev;
  } catch {
    return isatty(fd);
  }
  const nul = statSync(devNull, { throwIfNoEntry: false });
  if (nul?.isCharacterDevice() && nul.rdev === rdev) return false;
  return isatty(fd);
}

/** The prebuilt output for this exact argv, when the CLI would print exactly that text here. */
export function findPrebuilt(table: PrebuiltTable, bin: BinName, argv: readonly string[], terminal: Terminal): PrebuiltOutput | undefined {
  const entry = table[bin].find((e) => e.argv.length === argv.length && e.argv.every((a, i) => a === argv[i]));
  if (!entry || entry.columns === null || !terminal.isTTY(entry.fd)) return entry;
  // commander: `isTTY ? columns : undefined`, and undefined means its default width, which the text was built for.
  const width = terminal.columns(entry.fd);
  return width === undefined || entry.columns.some(([lo, hi]) => width >= lo && width <= hi) ? entry : undefined;
}

/**
 * Prints the prebuilt output for `argv` and returns its exit code, or returns
 * undefined (nothing printed) when the CLI must run instead.
 */
export function printPrebuilt(table: PrebuiltTable, bin: BinName, argv: readonly string[], terminal: Terminal): number | undefined {
  const entry = findPrebuilt(table, bin, argv, terminal);
  if (!entry) return undefined;
  const bytes = Buffer.from(entry.text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(entry.fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A reader that stops early (`arch --help | head -1`) is not an error of ours.
      if (code === 'EPIPE') break;
      // Nothing written yet (a closed or odd stream): let the CLI deal with it as it always has.
      if (written === 0 && code !== 'EAGAIN') return undefined;
      // A non-blocking pipe that is full: the stream queues the rest and writes it before exit.
      const stream = entry.fd === 1 ? process.stdout : process.stderr;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
      stream.write(bytes.subarray(written));
      break;
    }
  }
  return entry.exitCode;
}

type Main = typeof cliMain;

/** Runs `main` in-process with captured streams: not a terminal, or `terminal.fd` a terminal `columns` wide. */
export async function renderOutput(
  main: Main,
  bin: BinName,
  argv: readonly string[],
  terminal?: { fd: 1 | 2; columns: number | undefined },
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const stream = (fd: 1 | 2, write: (s: string) => void) =>
    terminal?.fd === fd ? { write, isTTY: true, columns: terminal.columns } : { write, isTTY: false };
  const exitCode = await main(argv, bin, {
    stdout: stream(1, (s) => (stdout += s)),
    stderr: stream(2, (s) => (stderr += s)),
    stdinIsTTY: false,
    cwd: process.cwd(),
    env: {},
  });
  return { stdout, stderr, exitCode };
}

/** Renders every output of PREBUILT_ARGVS with `main` (build.mjs passes the built bundle's) and checks that it can be prebuilt. */
export async function buildPrebuiltTable(main: Main): Promise<PrebuiltTable> {
  const table: Record<BinName, PrebuiltOutput[]> = { arch: [], archkit: [], 'create-service': [] };
  for (const bin of Object.keys(PREBUILT_ARGVS) as BinName[]) {
    for (const argv of PREBUILT_ARGVS[bin]) {
      const plain = await renderOutput(main, bin, argv);
      const label = [bin, ...argv].join(' ');
      if (Boolean(plain.stdout) === Boolean(plain.stderr)) throw new Error(`${label}: prints to ${plain.stdout ? 'both streams' : 'neither stream'}; cannot prebuild it`);
      const fd = plain.stdout ? 1 : 2;
      const text = plain.stdout || plain.stderr;
      // commander strips colour codes when the stream has no colours: text without any prints the same either way.
      if (text.includes('\u001b')) throw new Error(`${label}: output holds escape codes; cannot prebuild it`);
      const columns: Array<[number, number]> = [];
      let sameEverywhere = true;
      for (let width = 1; width <= MAX_PREBUILT_COLUMNS; width++) {
        const tty = await renderOutput(main, bin, argv, { fd, columns: width });
        const same = tty.exitCode === plain.exitCode && tty.stdout === plain.stdout && tty.stderr === plain.stderr;
        sameEverywhere &&= same;
        if (!same) continue;
        const last = columns[columns.length - 1];
        if (last && last[1] === width - 1) last[1] = width;
        else columns.push([width, width]);
      }
      table[bin].push({ argv: [...argv], fd, text, exitCode: plain.exitCode, columns: sameEverywhere ? null : columns });
    }
  }
  return table;
}
