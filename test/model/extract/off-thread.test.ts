import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseObjects, parsePortable, readKubernetes, revive, startKubernetes } from '../../../src/model/extract/k8s.js';
import { OFF_THREAD_MIN_FILES, offThreadWorthIt, startOffThread } from '../../../src/model/extract/off-thread.js';
import { loadExtractors, mergeExtracted, runExtractors } from '../../../src/model/extract/run.js';
import { createReader } from '../../../src/model/read.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKER = path.join(REPO, 'node_modules', '.cache', 'archkit-test', 'extract-worker.mjs');


const MANIFESTS = [
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, labels: {app: orders}}
x-defaults: &probe {httpGet: {path: /health, port: 8080}}
spec:
  replicas: 2
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
        - name: app
          image: acme/orders:1.0
          env:
            - {name: PAYMENTS_URL, value: "http://payments:8080"}
            - name: STOCK_URL
              valueFrom: {configMapKeyRef: {name: urls, key: stock}}
          livenessProbe: *probe
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: orders}
spec: {selector: {app: orders}, ports: [{port: 80, targetPort: 8080}]}
`,
  `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: payments}
    spec:
      selector: {matchLabels: {app: payments}}
      template:
        metadata: {labels: {app: payments}}
        spec:
          containers: [{name: app, image: "acme/payments:2.0", ports: [{containerPort: 8080}]}]
  - apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: payments}
    spec: {scaleTargetRef: {kind: Deployment, name: payments}, minReplicas: 2, maxReplicas: 5}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: urls}
data: {stock: "http://stock:8080"}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: edge}
spec:
  rules:
    - http:
        paths:
          - {path: /orders, pathType: Prefix, backend: {service: {name: orders, port: {number: 80}}}}
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: stock}
metadata: {name: stock-again}
spec:
  template:
    spec:
      containers: [{name: app, image: acme/stock:1.0}]
---
apiVersion: v1
kind: Service
metadata: {name: broken
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec: {replicas: 5}
`,
];

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
  for (const [i, text] of MANIFESTS.entries()) write(`k8s/part-${i}.yaml`, text);
  write('k8s/kustomization.yaml', 'resources: [part-0.yaml, part-1.yaml, part-2.yaml]\npatches: [{path: part-3.yaml}]\n');
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

const YAML = () => [0, 1, 2, 3].map((i) => `k8s/part-${i}.yaml`).concat('k8s/kustomization.yaml');

describe('Kubernetes YAML parsed in the worker', () => {
  it('answers every lineOf of a route object (the only lines asked for) as the parse in this thread does', () => {
    const reader = createReader(root);
    let routes = 0;
    for (const file of YAML().slice(0, 3)) {
      const text = reader.read(file)!;
      const here = parseObjects(file, text, []);
      const there = parsePortable(reader, [file])[0]![1].objects.map(revive);
      expect(there.map(({ lineOf, ...o }) => o)).toEqual(here.map(({ lineOf, ...o }) => o));
      // Every path in every object, plus paths that are not there, sequence indexes as numbers and as strings.
      const paths = (value: unknown, prefix: Array<string | number>): Array<Array<string | number>> =>
        Array.isArray(value)
          ? value.flatMap((v, i) => [[...prefix, i], [...prefix, String(i)], ...paths(v, [...prefix, i])])
          : value && typeof value === 'object'
            ? Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])])
            : [];
      here.forEach((o, k) => {
        if (o.kind !== 'Ingress') return;
        routes += 1;
        const all = [...paths(o.value, []), ['spec', 'nothing'], ['metadata', 'name', 'deeper'], [7]];
        expect(all.length).toBeGreaterThan(5);
        for (const keys of all) expect([keys, there[k]!.lineOf(keys)]).toEqual([keys, o.lineOf(keys)]);
      });
    }
    expect(routes).toBe(1);
  });

  it('keeps a route object with a long key over many children in space linear in its text', () => {
    // Lines by path strings would repeat the 200,000-character key for each of the 2,000 children: 400 MB.
    const key = 'k'.repeat(200_000);
    const children = Array.from({ length: 2_000 }, (_, i) => `      c${i}: ${i}`).join('\n');
    // An explicit key (`? key`): YAML limits implicit keys to 1,024 characters.
    const text = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: long}\nspec:\n  rules:\n    ? ${key}\n    :\n${children}\n`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'archkit-long-key-'));
    try {
      writeFileSync(path.join(dir, 'ingress.yaml'), text);
      const before = process.memoryUsage().heapUsed;
      const parsed = parsePortable(createReader(dir), ['ingress.yaml'])[0]![1];
      expect(parsed.diagnostics).toEqual([]);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
      const ingress = revive(parsed.objects[0]!);
      expect(ingress.lineOf(['spec', 'rules', key, 'c1999'])).toBe(2007);
      expect(ingress.lineOf(['spec', 'rules', key, 'nothing'])).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the workloads, lines and diagnostics of a scan in this thread; kustomizations stay here', async () => {
    const extractors = await loadExtractors();
    const reader = createReader(root);
    const work = await startOffThread(root, [], reader, extractors, { workerFile: pathToFileURL(WORKER), yamlFiles: YAML(), kubernetesMinChars: 1 });
    const parsed = await work.kubernetes();
    expect([...parsed.keys()].length).toBeGreaterThan(0);
    expect([...parsed.keys()]).not.toContain('k8s/kustomization.yaml');
    const hereReader = createReader(root);
    const here = readKubernetes(hereReader, YAML());
    const there = startKubernetes(reader, YAML(), work.kubernetesFiles).finish(parsed);
    await work.facts();
    expect(there).toEqual(here);
    expect(here.workloads.map((w) => w.name).sort()).toEqual(['orders', 'payments', 'stock-again']);
    expect(reader.diagnostics).toEqual(hereReader.diagnostics);
    expect(reader.diagnostics.map((d) => d.message).join('\n')).toMatch(/duplicate key "metadata"[\s\S]*cannot parse YAML/);
  });

  it('is left to this thread below the threshold, and when the worker fails', async () => {
    const extractors = await loadExtractors();
    const small = await startOffThread(root, [], createReader(root), extractors, { yamlFiles: YAML() });
    expect((await small.kubernetes()).size).toBe(0);
    const broken = path.join(path.dirname(WORKER), 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('worker cannot start');\n");
    const failed = await startOffThread(root, [], createReader(root), extractors, { workerFile: pathToFileURL(broken), yamlFiles: YAML(), kubernetesMinChars: 1 });
    expect((await failed.kubernetes()).size).toBe(0);
    // Files the worker did not post are parsed here, in the same order.
    expect(startKubernetes(createReader(root), YAML(), ['k8s/part-0.yaml', 'k8s/part-2.yaml']).finish(new Map())).toEqual(readKubernetes(createReader(root), YAML()));
  });
});

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
      expect([0, OFF_THREAD_MIN_FILES - 1, OFF_THREAD_MIN_FILES, 5000].map((n) => offThreadWorthIt(n))).toEqual([false, false, true, true]);
      expect(offThreadWorthIt(0, 2)).toBe(true);
      cores.mockReturnValue(1);
      expect(offThreadWorthIt(5000)).toBe(false);
      process.env.ARCHKIT_WORKERS = '0';
      cores.mockReturnValue(8);
      expect(offThreadWorthIt(5000)).toBe(false);
      process.env.ARCHKIT_WORKERS = '1';
      expect([0, 1].map((n) => offThreadWorthIt(n))).toEqual([false, true]);
    } finally {
      cores.mockRestore();
      if (pinned === undefined) delete process.env.ARCHKIT_WORKERS;
      else process.env.ARCHKIT_WORKERS = pinned;
    }
  });
});
