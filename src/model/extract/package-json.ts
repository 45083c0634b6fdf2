/** package.json extractor: workspace packages and what their dependencies reveal. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RepoReader } from '../read.js';
import type { BrokerKind, DatabaseEngine } from '../types.js';

export interface PackageFacts {
  /** Folder relative to the root. */
  dir: string;
  name: string | null;
  dependencies: string[];
  /** What runs with it: `dependencies`, `optionalDependencies`, `peerDependencies` (not `devDependencies`). */
  runtime: string[];
  /** Raw `workspaces` patterns, when present. */
  workspaces: string[] | null;
  /** The `arch` key, when present. */
  arch: unknown;
  hasTsconfig: boolean;
  hasDockerfile: boolean;
}

const DATABASE_CLIENTS: Readonly<Record<string, DatabaseEngine>> = {
  pg: 'postgres',
  postgres: 'postgres',
  'pg-promise': 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mariadb',
  mongodb: 'mongodb',
  mongoose: 'mongodb',
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
};

/** Libraries whose presence says which broker a service talks to (also used by the source extractor). */
export const BROKER_CLIENTS: Readonly<Record<string, BrokerKind>> = {
  kafkajs: 'kafka',
  '@confluentinc/kafka-javascript': 'kafka',
  'node-rdkafka': 'kafka',
  amqplib: 'rabbitmq',
  'amqp-connection-manager': 'rabbitmq',
  nats: 'nats',
  '@nats-io/transport-node': 'nats',
  mqtt: 'mqtt',
};

export const HTTP_FRAMEWORKS = ['fastify', 'express', 'koa', '@nestjs/core', '@hapi/hapi', 'hono', 'restify'];

export function databaseClients(deps: readonly string[]): DatabaseEngine[] {
  return [...new Set(deps.flatMap((d) => (DATABASE_CLIENTS[d] ? [DATABASE_CLIENTS[d]] : [])))].sort();
}

export function brokerClients(deps: readonly string[]): BrokerKind[] {
  return [...new Set(deps.flatMap((d) => (BROKER_CLIENTS[d] ? [BROKER_CLIENTS[d]] : [])))].sort();
}

export function frameworks(deps: readonly string[]): string[] {
  return HTTP_FRAMEWORKS.filter((f) => deps.includes(f));
}

const inDir = (dir: string, name: string): string => (dir === '.' ? name : `${dir}/${name}`);

/** Reads `<dir>/package.json`; returns null when absent or refused by the reader, a diagnostic when unparsable. */
export function readPackage(reader: RepoReader, dir: string): PackageFacts | null {
  const rel = inDir(dir, 'package.json');
  const text = reader.read(rel);
  if (text === null) return null;
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    json = parsed as Record<string, unknown>;
  } catch (error) {
    reader.report({ file: rel, message: `cannot parse package.json: ${(error as Error).message}` });
    return null;
  }
  const deps = new Set<string>();
  const runtime = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const value = json[field];
    if (value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        deps.add(key);
        if (field !== 'devDependencies') runtime.add(key);
      }
    }
  }
  const ws = json.workspaces;
  let workspaces: string[] | null = null;
  if (Array.isArray(ws)) workspaces = ws.filter((w): w is string => typeof w === 'string');
  else if (ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages)) {
    workspaces = ((ws as { packages: unknown[] }).packages).filter((w): w is string => typeof w === 'string');
  }
  return {
    dir,
    name: typeof json.name === 'string' ? json.name : null,
    dependencies: [...deps].sort(),
    runtime: [...runtime].sort(),
    workspaces,
    arch: json.arch,
    hasTsconfig: reader.isFile(inDir(dir, 'tsconfig.json')),
    hasDockerfile: reader.isFile(inDir(dir, 'Dockerfile')),
  };
}

/**
 * Expands npm workspace patterns (`services/*`, `packages/**`-free subset:
 * literal segments and `*`) into folders that hold a package.json, sorted.
 */
export function expandWorkspaces(reader: RepoReader, patterns: readonly string[]): string[] {
  const root = reader.root;
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    let dirs = ['.'];
    for (const segment of pattern.replace(/\/+$/, '').split('/')) {
      if (segment === '' || segment === '.') continue;
      const next: string[] = [];
      for (const dir of dirs) {
        if (segment === '*' || segment === '**') {
          let entries: string[] = [];
          try {
            entries = readdirSync(path.join(root, dir));
          } catch {
            entries = [];
          }
          for (const entry of entries) {
            if (entry.startsWith('.') || entry === 'node_modules') continue;
            const child = dir === '.' ? entry : `${dir}/${entry}`;
            try {
              if (statSync(path.join(root, child)).isDirectory()) next.push(child);
            } catch {
              /* vanished */
            }
          }
        } else if (segment !== '..') {
          next.push(dir === '.' ? segment : `${dir}/${segment}`);
        }
      }
      dirs = next;
    }
    for (const dir of dirs) if (dir !== '.' && reader.isFile(`${dir}/package.json`)) found.add(dir);
  }
  return [...found].sort();
}
