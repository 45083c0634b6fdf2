/**
 * What `arch dev` checks before it starts anything, every problem at once:
 * the Node.js on PATH is one the services run on, the workspace is
 * installed, each service has a `dev` script, no two services share a port
 * and no other process holds one, and the local servers their `.env` files
 * name (PostgreSQL, RabbitMQ, Kafka, Redis) answer.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import type { DevService } from './workspace.js';

/** A service as `arch dev` will start it. */
export interface DevTarget {
  service: DevService;
  /** What the service will see: its .env (or, until it is copied, its .env.example), under the variables `arch dev` passes on. */
  env: Record<string, string>;
  /** The file its variables come from (.env, else .env.example), relative to the root, for messages. */
  envFile: string;
  /** Its .env is missing and will be copied from .env.example. */
  copyEnv: boolean;
}

type Version = [number, number, number];

const parseVersion = (text: string): Version | null => {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
};
const older = (a: Version, b: Version) => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/** The version of `node` on the PATH of `env`, or null when there is none. */
export function nodeOnPath(env: Record<string, string>): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('node', ['--version'], { env, timeout: 10_000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

/** The Node.js problem, if the node on PATH is older than a service's `engines.node` (`>=x.y.z`) says. */
export function nodeProblem(version: string | null, targets: readonly DevTarget[]): string | null {
  if (version === null) return 'no `node` on PATH: the services run on the node found there';
  const have = parseVersion(version);
  for (const { service } of targets) {
    const engines = packageJson(service).engines?.node;
    const need = typeof engines === 'string' ? /^>=\s*(\d+\.\d+\.\d+)$/.exec(engines.trim()) : null;
    const min = need ? parseVersion(need[1]!) : null;
    if (have && min && older(have, min)) {
      return `the node on PATH is ${version}, and the services need Node.js ${engines} (engines in ${service.dir}/package.json): put a newer node first on PATH (nvm use 22, fnm use 22, …)`;
    }
  }
  return null;
}

function packageJson(service: DevService): { engines?: { node?: unknown }; scripts?: Record<string, unknown> } {
  try {
    return JSON.parse(readFileSync(path.join(service.abs, 'package.json'), 'utf8')) as never;
  } catch {
    return {};
  }
}

/** The shell command of a service's `dev` script, if it has one. */
export function devScript(service: DevService): string | undefined {
  const script = packageJson(service).scripts?.dev;
  return typeof script === 'string' && script.trim() !== '' ? script : undefined;
}

/** Services without a `dev` script, and a workspace whose dependencies are not installed. */
export function installProblems(root: string, targets: readonly DevTarget[]): string[] {
  const problems: string[] = [];
  if (!existsSync(path.join(root, 'node_modules'))) problems.push('the workspace is not installed: run `npm install` in its root first');
  for (const { service } of targets) {
    if (devScript(service) === undefined) problems.push(`${service.dir}/package.json has no "dev" script to run`);
  }
  return problems;
}

const portOf = (target: DevTarget): number | null => {
  const port = Number(target.env.PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
};

/** Whether something else listens on `port` (binding it, on the service's host, fails). */
function portTaken(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'is taken by another process' : `cannot be listened on (${error.code ?? error.message})`));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Ports two services share, and ports another process holds. */
export async function portProblems(targets: readonly DevTarget[]): Promise<string[]> {
  const problems: string[] = [];
  const byPort = new Map<number, DevTarget[]>();
  for (const target of targets) {
    const port = portOf(target);
    if (port !== null) byPort.set(port, [...(byPort.get(port) ?? []), target]);
  }
  for (const [port, users] of [...byPort].sort(([a], [b]) => a - b)) {
    const names = users.map((u) => `${u.service.name} (${u.envFile})`);
    if (users.length > 1) {
      problems.push(`port ${port} is set for ${names.join(' and ')}: give each service its own PORT`);
      continue;
    }
    const taken = await portTaken(port, users[0]!.env.HOST || '0.0.0.0');
    if (taken) problems.push(`port ${port} of ${names[0]} ${taken}: stop it, or set another PORT there`);
  }
  return problems;
}

/** A server a service's environment names: its kind, address and who uses it. */
interface Server {
  kind: string;
  host: string;
  port: number;
  users: string[];
}

const SERVERS: Array<{ variable: string; kind: string; defaultPort: number; list?: boolean }> = [
  { variable: 'DATABASE_URL', kind: 'PostgreSQL', defaultPort: 5432 },
  { variable: 'RABBITMQ_URL', kind: 'RabbitMQ', defaultPort: 5672 },
  { variable: 'REDIS_URL', kind: 'Redis', defaultPort: 6379 },
  { variable: 'KAFKA_BROKERS', kind: 'Kafka', defaultPort: 9092, list: true },
];

/** host:port of a URL or of the first `host:port` of a list. */
function addressOf(value: string, list: boolean, defaultPort: number): { host: string; port: number } | null {
  try {
    const url = new URL(list ? `tcp://${value.split(',')[0]!.trim()}` : value);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return host === '' ? null : { host, port: url.port === '' ? defaultPort : Number(url.port) };
  } catch {
    return null;
  }
}

/** Whether a TCP connection to host:port opens within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Local servers the services name that do not answer. */
export async function serverProblems(targets: readonly DevTarget[]): Promise<string[]> {
  const servers = new Map<string, Server>();
  for (const target of targets) {
    for (const { variable, kind, defaultPort, list } of SERVERS) {
      const value = target.env[variable];
      const address = value ? addressOf(value, list ?? false, defaultPort) : null;
      if (!address) continue;
      const key = `${kind} ${address.host}:${address.port}`;
      const server = servers.get(key) ?? { kind, ...address, users: [] };
      server.users.push(`${variable} of ${target.service.name}`);
      servers.set(key, server);
    }
  }
  const problems: string[] = [];
  for (const server of servers.values()) {
    if (!(await canConnect(server.host, server.port))) {
      problems.push(`${server.kind} does not answer at ${server.host}:${server.port} (${server.users.join(', ')}): start it, or point the .env there at one that runs`);
    }
  }
  return problems;
}

/** The gateway's `<NAME>_SERVICE_URL` that do not point at the port the service listens on. */
export function routeWarnings(targets: readonly DevTarget[]): string[] {
  const warnings: string[] = [];
  for (const gateway of targets.filter((t) => t.service.isGateway)) {
    for (const target of targets) {
      const variable = `${target.service.name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;
      const url = gateway.env[variable];
      const address = url ? addressOf(url, false, 80) : null;
      const port = portOf(target);
      if (address && port !== null && address.port !== port) {
        warnings.push(`${gateway.envFile}: ${variable}=${url}, but ${target.service.name} listens on port ${port} (${target.envFile})`);
      }
    }
  }
  return warnings;
}
