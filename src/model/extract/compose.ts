/**
 * Compose extractor: services, their images and build contexts, ports,
 * dependencies, health checks, replicas and environment, as Docker Compose
 * would run them.
 *
 * Interpolation: every string value of a service is resolved the way Compose
 * does (`${VAR:-default}` and friends, see env.ts) against the `.env` file
 * beside the compose file (or, when that is absent, as in a fresh clone where
 * `.env` is git-ignored, its committed `.env.example` / `.env.sample`). The
 * shell environment is deliberately not used, so that a scan is reproducible.
 * A service's `environment` is what the container gets: its `env_file`
 * entries in order, then `environment`, which wins.
 *
 * YAML merge keys (`<<: *defaults`) are applied. Not modelled: `extends`,
 * top-level `include`, `profiles` and the `!reset` / `!override` tags (their
 * values are read as plain values).
 */
import path from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import type { RepoReader } from '../read.js';
import { interpolate, parseEnv } from './env.js';
import { PlainValues, duplicateKeys, readYaml } from './yaml-documents.js';
import type { ComposeService } from '../types.js';

/** Compose file names, in the order Compose itself looks for them. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Committed stand-ins for a dotenv file that is usually git-ignored. */
const ENV_EXAMPLES = ['.example', '.sample'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applies YAML merge keys (`<<: *a` or `<<: [*a, *b]`): keys written in the map win, then earlier sources. */
export function applyMergeKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(applyMergeKeys);
  if (!isObject(value)) return (value ?? null) as Json;
  const out: JsonObject = {};
  const merge = value['<<'];
  if (merge !== undefined) {
    const sources = Array.isArray(merge) ? merge : [merge];
    for (let k = sources.length - 1; k >= 0; k -= 1) {
      const source = applyMergeKeys(sources[k]);
      if (isObject(source)) Object.assign(out, source);
    }
  }
  for (const [key, v] of Object.entries(value)) if (key !== '<<') out[key] = applyMergeKeys(v);
  return out;
}

/** Interpolates every string value (not keys) of a parsed YAML value. */
function interpolateDeep(value: Json, env: Readonly<Record<string, string>>): Json {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, env));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateDeep(v, env);
    return out;
  }
  return value;
}

const scalarText = (v: Json | undefined): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** Reads a dotenv file, or its committed example when the file itself is absent. */
function readEnvOrExample(reader: RepoReader, rel: string, base: Readonly<Record<string, string>> = {}): Record<string, string> | null {
  for (const candidate of [rel, ...ENV_EXAMPLES.map((suffix) => rel + suffix)]) {
    const text = reader.read(candidate);
    if (text !== null) return parseEnv(text, base);
  }
  return null;
}

/** `[host_ip:]published:target[/protocol]` for a long-syntax port, as the short syntax writes it. */
function portText(port: Json): string | null {
  const short = scalarText(port);
  if (short !== null) return short;
  if (!isObject(port)) return null;
  const target = scalarText(port.target);
  if (target === null) return null;
  const published = scalarText(port.published);
  const hostIp = scalarText(port.host_ip);
  const protocol = scalarText(port.protocol);
  let text = published ? `${hostIp ? `${hostIp}:` : ''}${published}:${target}` : target;
  if (protocol && protocol.toLowerCase() !== 'tcp') text += `/${protocol}`;
  return text;
}

function list(value: Json | undefined, item: (v: Json) => string | null): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    const text = item(v);
    if (text !== null) out.push(text);
  }
  return out;
}

function integer(value: Json | undefined): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}

function hasHealthcheck(value: Json | undefined): boolean {
  if (!isObject(value) || value.disable === true || value.disable === 'true') return false;
  const test = value.test;
  if (typeof test === 'string') return test.trim() !== '' && test.trim().toUpperCase() !== 'NONE';
  if (Array.isArray(test)) return test.length > 0 && String(test[0]).toUpperCase() !== 'NONE';
  return false;
}

/** `env_file`: a path, a list of paths, or `{ path, required }` entries, relative to the compose file; none outside the repository. */
function envFileValues(reader: RepoReader, file: string, value: Json | undefined, projectEnv: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const ref = typeof entry === 'string' ? entry : isObject(entry) ? scalarText(entry.path) : null;
    const rel = ref ? reader.resolve(file, path.posix.dirname(file), ref) : null;
    if (rel === null) continue;
    // A missing env_file (required or not) is not reported: it is usually a git-ignored secrets file.
    Object.assign(out, readEnvOrExample(reader, rel, projectEnv) ?? {});
  }
  return out;
}

function environment(value: Json | undefined, fromFiles: Readonly<Record<string, string>>, projectEnv: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...fromFiles };
  // A variable named without a value takes it from the project's environment (.env), as Compose does from the shell.
  const bare = (key: string) => {
    out[key] = Object.prototype.hasOwnProperty.call(projectEnv, key) ? projectEnv[key]! : (out[key] ?? '');
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      if (text === null) continue;
      const eq = text.indexOf('=');
      if (eq === -1) bare(text.trim());
      else out[text.slice(0, eq).trim()] = text.slice(eq + 1);
    }
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const text = scalarText(v);
      if (text === null) bare(key);
      else out[key] = text;
    }
  }
  return out;
}

function buildContext(rel: string, build: Json | undefined): string | null {
  if (build === undefined || build === null) return null;
  const context = typeof build === 'string' ? build : isObject(build) ? (scalarText(build.context) ?? '.') : null;
  if (context === null || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context)) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(rel), context.replace(/\\/g, '/'))).replace(/\/$/, '') || '.';
}

/** `build.dockerfile`, relative to the root: resolved against the build context, as Compose does. */
function buildDockerfile(context: string | null, build: Json | undefined): string | null {
  if (context === null || !isObject(build)) return null;
  const file = scalarText(build.dockerfile);
  if (!file || file.includes('${') || file.startsWith('/')) return null;
  const joined = path.posix.normalize(path.posix.join(context, file.replace(/\\/g, '/')));
  return joined.startsWith('../') || joined === '..' ? null : joined;
}

/** Map-or-list values (`labels`, `environment`-like) as a map. */
function stringMap(value: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      if (text === null) continue;
      const eq = text.indexOf('=');
      out[eq === -1 ? text : text.slice(0, eq)] = eq === -1 ? '' : text.slice(eq + 1);
    }
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) out[key] = scalarText(v) ?? '';
  }
  return out;
}

/** `hostname`, network aliases and `links` aliases. */
function hostnames(svc: JsonObject): string[] {
  const out = new Set<string>();
  const hostname = scalarText(svc.hostname);
  if (hostname) out.add(hostname);
  if (isObject(svc.networks)) {
    for (const network of Object.values(svc.networks)) if (isObject(network)) for (const alias of list(network.aliases, scalarText)) out.add(alias);
  }
  for (const link of list(svc.links, scalarText)) {
    const alias = link.split(':')[1];
    if (alias) out.add(alias);
  }
  return [...out].sort();
}

/** Bind mounts whose source is a path of the repository (`./x:/y`, `{ type: bind, source: ./x }`), relative to the root. */
function mounts(reader: RepoReader, file: string, value: Json | undefined): string[] {
  const out: string[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    const source = typeof item === 'string' ? item.split(':')[0] : isObject(item) && (item.type === 'bind' || item.type === undefined) ? scalarText(item.source) : null;
    if (!source || !/^\.{1,2}(\/|$)/.test(source)) continue;
    const rel = reader.resolve(file, path.posix.dirname(file), source);
    if (rel !== null) out.push(rel);
  }
  return out;
}

function dependsOn(value: Json | undefined): string[] {
  const names = Array.isArray(value) ? list(value, scalarText) : isObject(value) ? Object.keys(value) : [];
  return [...new Set(names)].sort();
}

/** `extends: { service, file }` (or `extends: service`): the base service, and its file relative to the root. */
function extendsRef(reader: RepoReader, rel: string, value: Json | undefined): { service: string; file: string } | undefined {
  const service = typeof value === 'string' ? value : isObject(value) ? scalarText(value.service) : null;
  if (!service) return undefined;
  const fileRef = isObject(value) ? scalarText(value.file) : null;
  const file = fileRef ? reader.resolve(rel, path.posix.dirname(rel), fileRef) : rel;
  return file === null ? undefined : { service, file };
}

/** Top-level `include:` entries (a path, or `{ path }` with one path or a list), relative to the root; none outside it. */
export function composeIncludes(reader: RepoReader, rel: string): string[] {
  const text = reader.read(rel);
  if (text === null) return [];
  const { doc } = readYaml(text);
  if (doc.errors.length > 0) return [];
  let include: unknown;
  try {
    // Only the `include` key, in linear time: the library's toJS of the whole document walks it once per alias.
    include = new PlainValues(doc).toJs(doc.get('include', true));
  } catch {
    return [];
  }
  const entries = Array.isArray(include) ? include : [];
  const out: string[] = [];
  for (const entry of entries) {
    const refs = typeof entry === 'string' ? [entry] : isObject(entry) ? (Array.isArray(entry.path) ? entry.path : [entry.path]).map((p) => scalarText(p)) : [];
    for (const ref of refs) {
      if (!ref) continue;
      const resolved = reader.resolve(rel, path.posix.dirname(rel), ref);
      if (resolved !== null) out.push(resolved);
    }
  }
  return out;
}

/** Parses one compose file at `rel`. Returns null if it does not exist or the reader refused it. */
export function readCompose(reader: RepoReader, rel: string): ComposeService[] | null {
  const text = reader.read(rel);
  if (text === null) return null;
  const { doc, lineCounter } = readYaml(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    reader.report({ file: rel, line: first.linePos?.[0]?.line ?? 1, message: `cannot parse YAML: ${yamlMessage(first.message)}` });
    return [];
  }
  for (const duplicate of duplicateKeys(doc.contents, lineCounter)) {
    reader.report({ file: rel, line: duplicate.line, message: `duplicate key "${duplicate.key}" (first on line ${duplicate.first}): Compose refuses the file` });
  }
  const services = doc.get('services', true) as Node | undefined;
  if (!isMap(services)) return [];
  const dir = path.posix.dirname(rel);
  const projectEnv = readEnvOrExample(reader, path.posix.join(dir, '.env')) ?? {};
  const out: ComposeService[] = [];
  const plain = new PlainValues(doc);
  for (const pair of services.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 1;
    let svc: JsonObject = {};
    if (isMap(pair.value)) {
      const js = toJs(plain, pair.value);
      if (js instanceof Error) {
        reader.report({ file: rel, line, message: `cannot read service "${key}": ${js.message.split('\n')[0]}` });
        continue;
      }
      const resolved = interpolateDeep(applyMergeKeys(js), projectEnv);
      if (isObject(resolved)) svc = resolved;
    }
    const deploy = isObject(svc.deploy) ? svc.deploy : {};
    const context = buildContext(rel, svc.build);
    out.push({
      file: rel,
      key,
      line,
      image: scalarText(svc.image) || null,
      build: context,
      ...(isObject(svc.build) && svc.build.context === undefined ? { buildContextSet: false } : {}),
      dockerfile: buildDockerfile(context, svc.build),
      containerName: scalarText(svc.container_name) || null,
      hostnames: hostnames(svc),
      mounts: mounts(reader, rel, svc.volumes),
      labels: stringMap(svc.labels),
      ...(isObject(svc.extends) || typeof svc.extends === 'string' ? { extends: extendsRef(reader, rel, svc.extends) } : {}),
      ports: list(svc.ports, portText),
      expose: list(svc.expose, scalarText),
      healthcheck: hasHealthcheck(svc.healthcheck),
      dependsOn: dependsOn(svc.depends_on),
      replicas: integer(deploy.replicas) ?? integer(svc.scale),
      environment: environment(svc.environment, envFileValues(reader, rel, svc.env_file, projectEnv), projectEnv),
    });
  }
  return out;
}

function toJs(plain: PlainValues, node: unknown): unknown {
  try {
    return plain.toJs(node);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export type InfraRole = 'database' | 'broker' | 'cache' | 'observability';

/** Tools named after the product they serve: `kafka-ui`, `mongo-express`, `redis-commander`, `postgres-exporter`. */
const TOOL_SUFFIX = /[-_](ui|express|commander|console|manager|exporter|rest|connect)$/;

/** Classifies a compose service by its image: infrastructure, or null for an application service. */
export function infraRole(image: string | null): { role: InfraRole; engine: string } | null {
  if (!image) return null;
  // Last path segment without tag or digest (`registry:5000/team/postgres:17@sha256:…` → `postgres`).
  const name = image.split('@')[0]!.split('/').pop()!.split(':')[0]!.toLowerCase();
  // A tool named after the product it serves is not that product: no database or broker of the system.
  if (TOOL_SUFFIX.test(name)) return null;
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

/** The first line of a YAML error, without the position the diagnostic already carries. */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
