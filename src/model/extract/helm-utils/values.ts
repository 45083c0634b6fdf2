/** Helm values files: read with lines, merged the way Helm merges a parent's values over a subchart's. */
import type { Setting } from '../../facts.js';
import { asMap, isMap, text, type Json, type JsonMap, type YamlFile } from '../yaml-values.js';

/** `over` merged onto `base`: maps merged key by key, anything else replaced; a null in `over` removes the key (Helm). */
export function mergeValues(base: Json, over: Json | undefined): Json {
  if (over === undefined) return base;
  if (!isMap(base) || !isMap(over)) return over;
  const out: JsonMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else out[key] = mergeValues(out[key] ?? null, value);
  }
  return out;
}

/** The value at a path of keys (`['autoscaling', 'enabled']`); the value itself for `[]`. */
export function valueIn(values: Json, path: readonly string[]): Json | undefined {
  let current: Json | undefined = values;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The image a values map names: `image: repo:tag`, or `image: { registry, repository, tag | version, digest }`
 * (the tag defaulting to the chart's appVersion, as charts' templates do). Null when it names none; '' when
 * the repository is left empty (a base chart that others fill in).
 */
export function valuesImage(values: Json, appVersion: string | null): string | null {
  const image = asMap(values).image;
  if (typeof image === 'string') return image;
  if (!isMap(image)) return null;
  const repository = text(image.repository) ?? text(image.name);
  if (repository === null) return null;
  if (repository === '') return '';
  const registry = text(image.registry);
  const full = registry ? `${registry}/${repository}` : repository;
  const digest = text(image.digest);
  if (digest) return `${full}@${digest}`;
  const tag = text(image.tag) || text(image.version) || appVersion;
  return tag ? `${full}:${tag}` : full;
}

/** Keys under which charts commonly take extra environment variables from values. */
const ENV_KEYS = ['env', 'extraEnv', 'extraEnvs', 'extraEnvVars', 'envVars', 'environment'];

/**
 * The environment a chart's values give directly (`env: { KEY: v }` or `env: [{ name, value }]`, under the usual
 * key names), with the values file's lines; `profile` for values-<profile>.yaml files.
 */
export function valuesEnvironment(file: YamlFile, values: Json | undefined, prefix: readonly string[], profile: string | null): Setting[] {
  const out: Setting[] = [];
  const map = asMap(values);
  for (const key of ENV_KEYS) {
    const env = map[key];
    const at = (path: Array<string | number>): Setting['location'] => ({ file: file.file, line: file.lineOf([...prefix, key, ...path]) ?? file.lineOf([...prefix, key]) ?? 1 });
    if (Array.isArray(env)) {
      env.forEach((item, k) => {
        const entry = asMap(item);
        const name = text(entry.name);
        const value = text(entry.value);
        if (name && value !== null) out.push({ key: name, value, profile, location: at([k]) });
      });
    } else if (isMap(env)) {
      for (const [name, v] of Object.entries(env)) {
        const value = text(v);
        if (value !== null) out.push({ key: name, value, profile, location: at([name]) });
      }
    }
  }
  return out;
}
