/** Compose extractor: services, their build contexts, dependencies, health checks and infrastructure. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { readYaml } from './yaml-documents.js';
import type { ComposeService, Diagnostic } from '../types.js';

/** Compose file names, in the order Compose itself looks for them. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function toJs(node: unknown): unknown {
  if (node && typeof node === 'object' && 'toJSON' in node && typeof (node as { toJSON: unknown }).toJSON === 'function') {
    return (node as { toJSON: () => unknown }).toJSON();
  }
  return node;
}

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? JSON.stringify(v) : String(v)));
  return [];
}

function environment(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq === -1) out[text] = '';
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** Parses one compose file at `rel`. Returns null if it does not exist. */
export function readCompose(root: string, rel: string, diagnostics: Diagnostic[]): ComposeService[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return null;
  }
  const { doc, lineCounter } = readYaml(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    diagnostics.push({ file: rel, line: first.linePos?.[0]?.line ?? 1, message: `cannot parse YAML: ${first.message.split('\n')[0]}` });
    return [];
  }
  const services = doc.get('services', true) as Node | undefined;
  if (!isMap(services)) return [];
  const out: ComposeService[] = [];
  for (const pair of services.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const node = pair.value;
    const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 1;
    const svc = (isMap(node) ? toJs(node) : {}) as Record<string, unknown>;
    let build: string | null = null;
    const rawBuild = svc.build;
    const context = typeof rawBuild === 'string' ? rawBuild : rawBuild && typeof rawBuild === 'object' ? (rawBuild as { context?: unknown }).context : undefined;
    if (typeof context === 'string' && !/^[a-z]+:\/\//i.test(context)) {
      build = path.posix.normalize(path.posix.join(path.posix.dirname(rel), context.replace(/\\/g, '/'))).replace(/\/$/, '') || '.';
    }
    const dependsOn = Array.isArray(svc.depends_on)
      ? strings(svc.depends_on)
      : svc.depends_on && typeof svc.depends_on === 'object'
        ? Object.keys(svc.depends_on)
        : [];
    const deploy = svc.deploy as { replicas?: unknown } | undefined;
    const healthcheck = svc.healthcheck as { disable?: unknown; test?: unknown } | undefined;
    out.push({
      file: rel,
      key,
      line,
      image: typeof svc.image === 'string' ? svc.image : null,
      build,
      ports: strings(svc.ports),
      expose: strings(svc.expose),
      healthcheck: Boolean(healthcheck && healthcheck.disable !== true && healthcheck.test !== undefined && !(Array.isArray(healthcheck.test) && healthcheck.test[0] === 'NONE')),
      dependsOn: dependsOn.sort(),
      replicas: typeof deploy?.replicas === 'number' ? deploy.replicas : null,
      environment: environment(svc.environment),
    });
  }
  return out;
}

export type InfraRole = 'database' | 'broker' | 'cache' | 'observability';

/** Classifies a compose service by its image: infrastructure, or null for an application service. */
export function infraRole(image: string | null): { role: InfraRole; engine: string } | null {
  if (!image) return null;
  const name = image.split('@')[0]!.split(':')[0]!.split('/').pop()!.toLowerCase();
  const table: Array<[RegExp, InfraRole, string]> = [
    [/^(postgres|postgis|timescaledb)/, 'database', 'postgres'],
    [/^(mysql)/, 'database', 'mysql'],
    [/^(mariadb)/, 'database', 'mariadb'],
    [/^(mongo)/, 'database', 'mongodb'],
    [/^(redis|valkey|keydb)/, 'cache', 'redis'],
    [/^(kafka|cp-kafka|redpanda)/, 'broker', 'kafka'],
    [/^(rabbitmq)/, 'broker', 'rabbitmq'],
    [/^(nats)/, 'broker', 'nats'],
    [/^(opentelemetry-collector|otel|jaeger|all-in-one|zipkin|tempo|grafana|prometheus)/, 'observability', 'otel'],
  ];
  for (const [pattern, role, engine] of table) if (pattern.test(name)) return { role, engine };
  return null;
}
