/**
 * npm packages as services: the workspace packages of an npm workspace (or the
 * root package of a standalone service), then any other package.json of an
 * HTTP service (monorepos without workspaces). Packages that are not services
 * are libraries; which services depend on them is joined later.
 */
import path from 'node:path';
import { emptyServiceFacts } from '../facts.js';
import { brokerClients, databaseClients, expandWorkspaces, frameworks, readPackage, type PackageFacts } from '../extract/package-json.js';
import type { RepoReader } from '../read.js';
import type { RepoModel, Service } from '../types.js';

export const GATEWAY_PACKAGES = ['@fastify/http-proxy', '@fastify/reply-from', 'http-proxy-middleware', 'express-gateway', 'http-proxy'];

export function newService(name: string, dir: string | null, location: Service['location']): Service {
  return {
    name,
    dir,
    packageName: null,
    language: 'unknown',
    origins: [],
    compose: null,
    databases: [],
    brokers: [],
    databaseClients: [],
    frameworks: [],
    port: null,
    isGateway: false,
    routesTo: [],
    source: null,
    kubernetes: null,
    dockerfile: null,
    deployments: [],
    facts: emptyServiceFacts(),
    location,
  };
}

function isServicePackage(pkg: PackageFacts, shared: readonly string[]): boolean {
  if (shared.includes(pkg.dir) || (pkg.name !== null && shared.includes(pkg.name))) return false;
  return pkg.hasDockerfile || frameworks(pkg.dependencies).length > 0;
}

function serviceFromPackage(pkg: PackageFacts, origin: 'workspace' | 'package'): Service {
  const name = pkg.dir === '.' ? (pkg.name ?? 'service').replace(/^@[^/]+\//, '') : path.posix.basename(pkg.dir);
  const service = newService(name, pkg.dir, { file: pkg.dir === '.' ? 'package.json' : `${pkg.dir}/package.json` });
  service.packageName = pkg.name;
  service.language = pkg.hasTsconfig ? 'typescript' : 'javascript';
  service.origins.push(origin);
  service.brokers = brokerClients(pkg.dependencies);
  service.databaseClients = databaseClients(pkg.dependencies);
  service.frameworks = frameworks(pkg.dependencies);
  if (pkg.dependencies.some((d) => GATEWAY_PACKAGES.includes(d))) service.isGateway = true;
  return service;
}

export interface PackageDiscovery {
  kind: RepoModel['kind'];
  services: Service[];
  libraries: PackageFacts[];
  /** Every package read, by folder (for dependencies and libraries). */
  packages: Map<string, PackageFacts>;
}

export function discoverPackages(reader: RepoReader, rootPkg: PackageFacts | null, packageJsonFiles: readonly string[], shared: readonly string[], hasConfig: boolean): PackageDiscovery {
  const services: Service[] = [];
  const libraries: PackageFacts[] = [];
  const packages = new Map<string, PackageFacts>();
  if (rootPkg) packages.set('.', rootPkg);
  const byDir = new Set<string>();
  const consider = (pkg: PackageFacts | null, origin: 'workspace' | 'package') => {
    if (!pkg) return;
    packages.set(pkg.dir, pkg);
    if (isServicePackage(pkg, shared)) {
      services.push(serviceFromPackage(pkg, origin));
      byDir.add(pkg.dir);
    } else if (pkg.name !== null && pkg.dir !== '.') {
      libraries.push(pkg);
      byDir.add(pkg.dir);
    }
  };
  let kind: RepoModel['kind'] = 'unknown';
  if (rootPkg?.workspaces) {
    kind = 'workspace';
    for (const dir of expandWorkspaces(reader, rootPkg.workspaces)) consider(readPackage(reader, dir), 'workspace');
  } else if (rootPkg && isServicePackage(rootPkg, shared)) {
    kind = 'standalone';
    services.push(serviceFromPackage(rootPkg, 'package'));
  } else if (hasConfig) {
    kind = 'workspace';
  }
  if (kind !== 'standalone') {
    for (const file of packageJsonFiles) {
      const dir = path.posix.dirname(file);
      if (dir === '.' || byDir.has(dir)) continue;
      consider(readPackage(reader, dir), 'package');
    }
  }
  return { kind, services, libraries, packages };
}
