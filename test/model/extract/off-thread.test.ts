import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OFF_THREAD_MIN_FILES, offThreadWorthIt, startOffThread } from '../../../src/model/extract/off-thread.js';
import { loadExtractors, mergeExtracted, runExtractors } from '../../../src/model/extract/run.js';
import { createReader } from '../../../src/model/read.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKER = path.join(REPO, 'node_modules', '.cache', 'archkit-test', 'extract-worker.mjs');

let root: string;
let outside: string;

/** A Java service of `n` classes, each calling another service (one per item, under a breaker every third). */
function javaClass(i: number): string {
  return `package com.acme.orders;

import org.springframework.web.client.RestTemplate;

class Client${i} {
  private final RestTemplate rest = new RestTemplate();
${i % 3 === 0 ? '  @CircuitBreaker(name = "stock")\n' : ''}  void call(List<String> ids) {
    for (String id : ids) rest.getForObject("http://stock-${i}:8080/items/" + id, String.class);
  }
}
`;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'archkit-off-thread-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'archkit-off-thread-outside-'));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  for (let i = 0; i < OFF_THREAD_MIN_FILES + 5; i++) write(`orders/src/main/java/com/acme/orders/Client${i}.java`, javaClass(i));
  write('orders/pom.xml', '<project><artifactId>orders</artifactId></project>\n');
  write('payments/main.go', 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("http://orders:8080/orders") }\n');
  write('apphost/Program.cs', 'var builder = DistributedApplication.CreateBuilder(args);\nbuilder.AddProject<Projects.Orders>("orders");\nbuilder.Build().Run();\n');
  write('worker/job.py', 'import requests\n\nrequests.get("http://orders:8080/orders")\n');
  // A source file that is a link out of the repository: refused by the worker's reader as by this thread's.
  writeFileSync(path.join(outside, 'Secret.java'), javaClass(999));
  mkdirSync(path.join(root, 'leak'), { recursive: true });
  symlinkSync(path.join(outside, 'Secret.java'), path.join(root, 'leak', 'Secret.java'));

  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: ['src/model/extract/extract-worker.ts'],
    outfile: WORKER,
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['typescript', 'ts-morph', 'web-tree-sitter', 'jsonc-parser'],
    banner: { js: "import { createRequire as __archkitRequire } from 'node:module'; const require = __archkitRequire(import.meta.url);" },
    logLevel: 'error',
  });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const PATHS = () => [
  ...Array.from({ length: OFF_THREAD_MIN_FILES + 5 }, (_, i) => `orders/src/main/java/com/acme/orders/Client${i}.java`),
  'orders/pom.xml',
  'payments/main.go',
  'apphost/Program.cs',
  'worker/job.py',
  'leak/Secret.java',
];

describe('off-thread extractors', () => {
  it('give in a worker thread the facts they give in this thread, and the worker refuses what this thread refuses', async () => {
    const extractors = await loadExtractors();
    const hereReader = createReader(root);
    const here = await startOffThread(root, PATHS(), hereReader, extractors, { workerFile: null });
    const thereReader = createReader(root);
    const there = await startOffThread(root, PATHS(), thereReader, extractors, { workerFile: pathToFileURL(WORKER) });
    // Only the files the off-thread extractors accept: not the pom, not the Aspire app host's facts.
    expect(there.paths).toEqual(here.paths);
    expect(there.paths).not.toContain('orders/pom.xml');
    const [a, b] = [await here.facts(), await there.facts()];
    expect([here.thread, there.thread]).toEqual(['main', 'worker']);
    expect(b.byFile.size).toBeGreaterThan(OFF_THREAD_MIN_FILES);
    expect([...b.byFile]).toEqual([...a.byFile]);
    expect([...b.read]).toEqual([...a.read]);
    expect(b.diagnostics).toEqual(a.diagnostics);
    // Facts that matter downstream survive the thread boundary.
    const client = b.byFile.get('orders/src/main/java/com/acme/orders/Client3.java');
    expect(client?.calls?.[0]).toMatchObject({ url: 'http://stock-3:8080/items/{id}', breaker: true, inLoop: true });
    expect(b.byFile.get('payments/main.go')?.calls?.[0]?.url).toBe('http://orders:8080/orders');
    expect(b.byFile.has('leak/Secret.java')).toBe(false);
    expect(thereReader.diagnostics).toEqual(hereReader.diagnostics);
    expect(thereReader.diagnostics.map((d) => d.file)).toEqual(['leak/Secret.java']);
  });

  it('merged with the other extractors, equal one run of every extractor', async () => {
    const extractors = await loadExtractors();
    const reader = createReader(root);
    const rest = await runExtractors(PATHS(), reader, { where: (e) => !e.offThread });
    const offThread = await startOffThread(root, PATHS(), createReader(root), extractors, { workerFile: pathToFileURL(WORKER) });
    const merged = mergeExtracted(PATHS(), rest, await offThread.facts());
    expect(offThread.thread).toBe('worker');
    const whole = await runExtractors(PATHS(), createReader(root));
    expect([...merged.byFile]).toEqual([...whole.byFile]);
    expect(new Map(merged.read)).toEqual(new Map(whole.read));
    // The app host gives its deployments in this thread, before services are linked.
    expect(rest.byFile.get('apphost/Program.cs')?.deployments?.map((d) => d.name)).toEqual(['orders']);
  });

  it('a worker that fails costs a redo in this thread, never the facts', async () => {
    const broken = path.join(path.dirname(WORKER), 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('worker cannot start');\n");
    const extractors = await loadExtractors();
    const here = await (await startOffThread(root, PATHS(), createReader(root), extractors, { workerFile: null })).facts();
    const work = await startOffThread(root, PATHS(), createReader(root), extractors, { workerFile: pathToFileURL(broken) });
    const redone = await work.facts();
    expect(work.thread).toBe('redone');
    expect([...redone.byFile]).toEqual([...here.byFile]);
  });

  it('run in a worker only for enough files, on two cores or more, unless ARCHKIT_WORKERS says otherwise', () => {
    const cores = vi.spyOn(os, 'availableParallelism');
    const pinned = process.env.ARCHKIT_WORKERS;
    delete process.env.ARCHKIT_WORKERS;
    try {
      cores.mockReturnValue(2);
      expect([0, OFF_THREAD_MIN_FILES - 1, OFF_THREAD_MIN_FILES, 5000].map(offThreadWorthIt)).toEqual([false, false, true, true]);
      cores.mockReturnValue(1);
      expect(offThreadWorthIt(5000)).toBe(false);
      process.env.ARCHKIT_WORKERS = '0';
      cores.mockReturnValue(8);
      expect(offThreadWorthIt(5000)).toBe(false);
      process.env.ARCHKIT_WORKERS = '1';
      expect([0, 1].map(offThreadWorthIt)).toEqual([false, true]);
    } finally {
      cores.mockRestore();
      if (pinned === undefined) delete process.env.ARCHKIT_WORKERS;
      else process.env.ARCHKIT_WORKERS = pinned;
    }
  });
});
