// The practical floor for `arch check` on TypeScript: read every .ts file under a folder
// (node_modules, .git and dist excluded) and parse it with the TypeScript compiler's
// `createSourceFile` (the parser archkit uses), nothing else.
//
//   node bench/parse-floor.mjs <dir> [--workers [n]]
//
// Prints `files <n>, <ms> ms` (walk + read + parse, inside the process; start-up excluded).
// --workers: the same work spread over worker threads (default: one per core, the main
// thread parsing its share too), to show the floor with parallelism.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(path.join(ROOT, 'package.json'))('typescript');
const SKIP = new Set(['node_modules', '.git', 'dist']);

function walk(dir, out = []) {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory()) { if (!SKIP.has(d.name)) walk(path.join(dir, d.name), out); }
    else if (d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts')) out.push(path.join(dir, d.name));
  }
  return out;
}

/** Parses each file; returns the number of top-level statements (so the work is observable). */
function parseAll(files) {
  let statements = 0;
  for (const f of files) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    statements += sf.statements.length;
  }
  return statements;
}

if (!isMainThread) {
  parentPort.once('message', (files) => parentPort.postMessage(parseAll(files)));
} else {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--workers');
  if (!dir) {
    console.error('usage: node bench/parse-floor.mjs <dir> [--workers [n]]');
    process.exit(2);
  }
  const wi = args.indexOf('--workers');
  const threads = wi < 0 ? 1 : Number(args[wi + 1]) || os.availableParallelism?.() || os.cpus().length;

  const t0 = performance.now();
  // Workers start first, so that they load the compiler while this thread walks the tree.
  const workers = Array.from({ length: threads - 1 }, () => new Worker(fileURLToPath(import.meta.url)));
  const files = walk(path.resolve(dir));
  let statements;
  if (threads <= 1) {
    statements = parseAll(files);
  } else {
    // Interleaved shares (balanced sizes); threads - 1 workers, the main thread takes share 0.
    const shares = Array.from({ length: threads }, (_, k) => files.filter((_, i) => i % threads === k));
    const done = workers.map((w, k) => new Promise((resolve, reject) => {
      w.once('message', (n) => { resolve(n); void w.terminate(); });
      w.once('error', reject);
      w.postMessage(shares[k + 1]);
    }));
    const mine = parseAll(shares[0]);
    statements = mine + (await Promise.all(done)).reduce((a, b) => a + b, 0);
  }
  const ms = performance.now() - t0;
  console.log(`files ${files.length}, statements ${statements}, ${threads} thread${threads > 1 ? 's' : ''}, ${ms.toFixed(0)} ms`);
}
