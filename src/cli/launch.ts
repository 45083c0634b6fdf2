/**
 * What the bins run: the CLI bundle (dist/bin/main.cjs, one CommonJS file)
 * compiled through a V8 code cache kept per command, so a command's second
 * run skips parsing and compiling what its first run used. A run that ends in
 * a usage error keeps no cache (a typo must not leave a file behind). Without
 * a cache folder, or with ARCHKIT_NO_CODE_CACHE=1, the bundle is required as usual.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { codeCacheDir, codeCacheFile, compileWithCodeCache } from '../util/code-cache.js';
import type { BinName } from './main.js';

const HELP_FLAGS = new Set(['--help', '-h', '--version', '-V']);

type MainModule = { main: (argv: readonly string[], bin: BinName) => Promise<number> };

export async function launch(bin: BinName, argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  // A reader that stops early (`arch check | head`) is not an error of ours: stop writing, no stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const bundle = fileURLToPath(new URL('./main.cjs', import.meta.url));
  const dir = codeCacheDir();
  // One cache per command: `arch check` and `arch --help` compile different functions.
  const first = argv[0] ?? '';
  const variant = argv.some((a) => HELP_FLAGS.has(a))
    ? 'help'
    : bin === 'create-service'
      ? bin
      : /^[a-z][a-z-]{0,31}$/.test(first)
        ? first
        : 'arch';
  let cacheFile: string | null = null;
  try {
    cacheFile = dir ? codeCacheFile(dir, bundle, variant) : null;
  } catch {
    cacheFile = null;
  }
  let exitCode = 0;
  let loaded: MainModule;
  if (cacheFile) {
    const module = { exports: {} as MainModule, filename: bundle };
    compileWithCodeCache(module, bundle, cacheFile, () => exitCode === 0 || exitCode === 1);
    loaded = module.exports;
  } else {
    loaded = createRequire(import.meta.url)(bundle) as MainModule;
  }
  exitCode = await loaded.main(argv, bin);
  return exitCode;
}
