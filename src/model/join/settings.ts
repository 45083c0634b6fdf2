/**
 * A service's effective configuration: what its deployment sets (compose,
 * Kubernetes, Helm, Nomad environment) over what its configuration files say
 * (dotenv files, `application*.yml`, `appsettings*.json`, Spring Cloud Config
 * files for it), for the profile it runs with.
 *
 * Keys from every format meet in one canonical form (lower case, letters and
 * digits only), as Spring's relaxed binding and .NET's `__` / `:` equivalence
 * do: `SPRING_DATASOURCE_URL`, `spring.datasource.url` and
 * `ConnectionStrings__OrderingDb` / `ConnectionStrings:OrderingDb` meet their
 * counterparts.
 *
 * Profiles: the active ones come from the deployment (`SPRING_PROFILES_ACTIVE`,
 * `ASPNETCORE_ENVIRONMENT`, `DOTNET_ENVIRONMENT`, `NODE_ENV`, `APP_ENV`);
 * their files override the default ones. With no active profile, files of a
 * profile fill only keys the default files lack, production-like profiles
 * first, test and local ones never.
 */
import type { Setting } from '../facts.js';

export const canonicalKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

const PROFILE_KEYS = ['springprofilesactive', 'aspnetcoreenvironment', 'dotnetenvironment', 'nodeenv', 'appenv', 'environment', 'env'];
const TEST_PROFILE = /^(test|tests|testing|it|e2e|ci|local|dev|development)$/i;

function profileRank(profile: string): number {
  const p = profile.toLowerCase();
  if (/^(prod|production|release|live)$/.test(p)) return 0;
  if (/^(docker|compose|container|k8s|kubernetes|kube|cloud|default)$/.test(p)) return 1;
  if (TEST_PROFILE.test(p)) return 9;
  return 5;
}

export interface EffectiveSettings {
  /** The setting for a key (any format's spelling), or undefined. */
  get(key: string): Setting | undefined;
  /** Every effective setting, one per canonical key. */
  all(): Setting[];
  /** Profiles taken as active. */
  profiles: string[];
}

/**
 * Builds a service's effective settings. `deployment` comes first (it wins), then `files` by profile as described
 * above. Values are not interpolated here (see `resolvePlaceholders`).
 */
export function effectiveSettings(deployment: readonly Setting[], files: readonly Setting[]): EffectiveSettings {
  const map = new Map<string, Setting>();
  for (const setting of deployment) map.set(canonicalKey(setting.key), setting);
  const declared = (key: string) => map.get(key)?.value ?? files.find((f) => f.profile === null && canonicalKey(f.key) === key)?.value;
  const profiles = PROFILE_KEYS.map(declared)
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '' && !v.includes('${'))
    .flatMap((v) => v.split(',').map((p) => p.trim()))
    .filter((p) => p !== '');
  const active = new Set(profiles.map((p) => p.toLowerCase()));
  const byProfile = new Map<string | null, Setting[]>();
  for (const setting of files) {
    const key = setting.profile === null ? null : setting.profile.toLowerCase();
    const list = byProfile.get(key) ?? [];
    list.push(setting);
    byProfile.set(key, list);
  }
  const fill = (list: readonly Setting[] | undefined, override: boolean) => {
    for (const setting of list ?? []) {
      const key = canonicalKey(setting.key);
      const current = map.get(key);
      if (!current || (override && !deployment.includes(current))) map.set(key, setting);
    }
  };
  // Active profiles override the default files (in the order declared: the last wins), the deployment overrides both.
  fill(byProfile.get(null), false);
  for (const profile of active) fill(byProfile.get(profile), true);
  if (active.size === 0) {
    const others = [...byProfile.keys()].filter((p): p is string => p !== null && !TEST_PROFILE.test(p)).sort((a, b) => profileRank(a) - profileRank(b));
    for (const profile of others) fill(byProfile.get(profile), false);
  }
  return {
    get: (key) => map.get(canonicalKey(key)),
    all: () => [...map.values()],
    profiles,
  };
}

/**
 * Resolves `${key}` / `${key:default}` (Spring, also `${KEY:-default}`) and `$(KEY)` (Kubernetes) references against
 * the settings, a bounded number of rounds (a self-reference ends, never loops). Unknown keys without a default stay
 * as written.
 */
export function resolvePlaceholders(value: string, settings: EffectiveSettings): string {
  let out = value;
  for (let round = 0; round < 4 && (out.includes('${') || out.includes('$(')); round++) {
    const next = out
      .replace(/\$\{([^}:]+?)(?::-?([^}]*))?\}/g, (whole, key: string, fallback: string | undefined) => settings.get(key.trim())?.value ?? fallback ?? whole)
      .replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, key: string) => settings.get(key)?.value ?? whole);
    if (next === out) break;
    out = next;
  }
  return out;
}
