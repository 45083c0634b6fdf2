/**
 * The help and version texts the bins print without loading the CLI
 * (dist/bin/help.cjs, written by build.mjs) are what the CLI prints, byte for
 * byte, on every stream and terminal width they are used for. Rendered here
 * in-process from src/: a change to the help without a rebuild fails here.
 */
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  findPrebuilt,
  isTerminal,
  MAX_PREBUILT_COLUMNS,
  PREBUILT_ARGVS,
  renderOutput,
  type PrebuiltOutput,
  type PrebuiltTable,
  type Terminal,
} from '../../src/cli/prebuilt-output.js';
import type { BinName } from '../../src/cli/main.js';
import { tmpDir } from '../helpers/tmp.js';

const helpBundle = fileURLToPath(new URL('../../dist/bin/help.cjs', import.meta.url));
const { table } = createRequire(import.meta.url)(helpBundle) as { table: PrebuiltTable };
const STALE = 'dist/bin/help.cjs differs from the CLI: run `npm run build`';
const cases = (Object.keys(PREBUILT_ARGVS) as BinName[]).flatMap((bin) => PREBUILT_ARGVS[bin].map((argv) => [bin, argv] as const));
const entryFor = (bin: BinName, argv: readonly string[]): PrebuiltOutput => {
  const found = table[bin].filter((e) => e.argv.join('\0') === argv.join('\0') && e.argv.length === argv.length);
  expect(found, `${STALE} (${bin} ${argv.join(' ')})`).toHaveLength(1);
  return found[0]!;
};
const notATerminal: Terminal = { isTTY: () => false, columns: () => undefined };
const terminal = (columns: number | undefined): Terminal => ({ isTTY: () => true, columns: () => columns });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('prebuilt help and version', () => {
  it('cover exactly the argument lists of PREBUILT_ARGVS', () => {
    for (const bin of Object.keys(PREBUILT_ARGVS) as BinName[]) {
      expect(table[bin].map((e) => e.argv), STALE).toEqual(PREBUILT_ARGVS[bin].map((a) => [...a]));
    }
  });

  it.for(cases)('%s %j: the same text, stream and exit code as the CLI when not on a terminal', async ([bin, argv]) => {
    const entry = entryFor(bin, argv);
    const run = await renderOutput(main, bin, argv);
    expect({ fd: entry.fd, text: entry.text, exitCode: entry.exitCode }, STALE).toEqual({
      fd: run.stdout ? 1 : 2,
      text: run.stdout || run.stderr,
      exitCode: run.exitCode,
    });
    expect(run.stdout === '' || run.stderr === '', 'one stream only').toBe(true);
  });

  it.for(cases)('%s %j: the same text on a terminal at the widths recorded for it, and only there', async ([bin, argv]) => {
    const entry = entryFor(bin, argv);
    const render = async (columns: number) => {
      const run = await renderOutput(main, bin, argv, { fd: entry.fd, columns });
      return run.exitCode === entry.exitCode && (entry.fd === 1 ? run.stdout : run.stderr) === entry.text && (entry.fd === 1 ? run.stderr : run.stdout) === '';
    };
    if (entry.columns === null) {
      for (const columns of [1, 20, 40, 79, 80, 81, 120, MAX_PREBUILT_COLUMNS, 1000]) expect(await render(columns), `width ${columns}`).toBe(true);
      return;
    }
    expect(entry.columns.length).toBeGreaterThan(0);
    for (const [lo, hi] of entry.columns) {
      for (let columns = lo; columns <= hi; columns++) expect(await render(columns), `width ${columns}`).toBe(true);
      if (lo > 1) expect(await render(lo - 1), `width ${lo - 1}`).toBe(entry.columns.some(([a, b]) => lo - 1 >= a && lo - 1 <= b));
      expect(await render(hi + 1), `width ${hi + 1}`).toBe(entry.columns.some(([a, b]) => hi + 1 >= a && hi + 1 <= b));
    }
  });

  it('do not depend on colour settings', async () => {
    for (const env of [{ FORCE_COLOR: '1' }, { NO_COLOR: '1' }, { FORCE_COLOR: '0' }]) {
      for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
      for (const [bin, argv] of cases) {
        const entry = entryFor(bin, argv);
        const run = await renderOutput(main, bin, argv, { fd: entry.fd, columns: 80 });
        expect(run.stdout || run.stderr, `${bin} ${argv.join(' ')} with ${JSON.stringify(env)}`).toBe(entry.text);
      }
      vi.unstubAllEnvs();
    }
  });
});

describe('findPrebuilt', () => {
  const entry = (argv: string[], columns: PrebuiltOutput['columns']): PrebuiltOutput => ({ argv, fd: 1, text: `${argv.join(' ')}\n`, exitCode: 0, columns });
  const fake: PrebuiltTable = {
    arch: [entry(['--help'], [[78, 80], [90, 90]]), entry(['--version'], null)],
    archkit: [],
    'create-service': [entry(['-h'], [[80, 80]])],
  };

  it('matches the exact argument list of the bin only', () => {
    expect(findPrebuilt(fake, 'arch', ['--help'], notATerminal)?.argv).toEqual(['--help']);
    expect(findPrebuilt(fake, 'arch', ['--help', '--verbose'], notATerminal)).toBeUndefined();
    expect(findPrebuilt(fake, 'arch', ['check', '--help'], notATerminal)).toBeUndefined();
    expect(findPrebuilt(fake, 'arch', [], notATerminal)).toBeUndefined();
    expect(findPrebuilt(fake, 'arch', ['-h'], notATerminal)).toBeUndefined();
    expect(findPrebuilt(fake, 'create-service', ['--help'], notATerminal)).toBeUndefined();
    expect(findPrebuilt(fake, 'create-service', ['-h'], notATerminal)?.argv).toEqual(['-h']);
  });

  it('on a terminal, only at a recorded width (or when the width is unknown, as commander reads it)', () => {
    for (const [columns, found] of [[77, false], [78, true], [80, true], [81, false], [90, true], [120, false], [undefined, true]] as const) {
      expect(Boolean(findPrebuilt(fake, 'arch', ['--help'], terminal(columns))), `width ${columns}`).toBe(found);
    }
    expect(findPrebuilt(fake, 'arch', ['--version'], terminal(1234))?.argv).toEqual(['--version']);
  });
});

describe('isTerminal', () => {
  it.skipIf(process.platform === 'win32')('answers from fstat for a file and for /dev/null, and asks isatty for other character devices', () => {
    const file = openSync(path.join(tmpDir(), 'out.txt'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      const isatty = vi.fn(() => true);
      expect(isTerminal(file, isatty)).toBe(false);
      expect(isTerminal(devNull, isatty)).toBe(false);
      expect(isatty).not.toHaveBeenCalled();
      // A character device that is not the one at `devNull`: only isatty can tell.
      expect(isTerminal(devNull, isatty, '/dev/zero')).toBe(true);
      expect(isatty).toHaveBeenCalledWith(devNull);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
  });
});
