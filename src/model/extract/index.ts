/**
 * The extractor registry: id → lazy import, sorted by id. The scan loads only
 * the extractors whose `accepts` matched a file of the repository, so a
 * repository without Java never loads the Java extractor (or its grammar).
 *
 * Adding a file kind or a language: one file under extract/ (defineExtractor),
 * one line here, one test file under test/model/extract/.
 */
import type { Extractor } from './define-extractor.js';

const load = async (module: Promise<{ default: Extractor }>): Promise<Extractor> => (await module).default;

export const extractors = {
  apisix: () => load(import('./apisix.js')),
  appsettings: () => load(import('./appsettings.js')),
  aspire: () => load(import('./aspire.js')),
  'csharp-source': () => load(import('./csharp-source.js')),
  'docker-bake': () => load(import('./docker-bake.js')),
  dotenv: () => load(import('./dotenv.js')),
  'dotnet-project': () => load(import('./dotnet-project.js')),
  envoy: () => load(import('./envoy.js')),
  'go-mod': () => load(import('./go-mod.js')),
  'go-source': () => load(import('./go-source.js')),
  gradle: () => load(import('./gradle.js')),
  haproxy: () => load(import('./haproxy.js')),
  helm: () => load(import('./helm.js')),
  'java-source': () => load(import('./java-source.js')),
  kong: () => load(import('./kong.js')),
  krakend: () => load(import('./krakend.js')),
  'kubernetes-routing': () => load(import('./kubernetes-routing.js')),
  kustomize: () => load(import('./kustomize.js')),
  maven: () => load(import('./maven.js')),
  nginx: () => load(import('./nginx.js')),
  nomad: () => load(import('./nomad.js')),
  ocelot: () => load(import('./ocelot.js')),
  'python-deps': () => load(import('./python-deps.js')),
  'python-source': () => load(import('./python-source.js')),
  skaffold: () => load(import('./skaffold.js')),
  'spring-config': () => load(import('./spring-config.js')),
  sql: () => load(import('./sql.js')),
  traefik: () => load(import('./traefik.js')),
} as const satisfies Record<string, () => Promise<Extractor>>;

export type ExtractorId = keyof typeof extractors;
