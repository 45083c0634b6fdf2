/**
 * The link step: deployment units (compose services, Kubernetes workloads,
 * Helm releases, Nomad tasks, Aspire resources…) become services, each with
 * the source folder it is built from.
 *
 *   1. units that build, or name their source, get a folder (source-dir.ts); builds of different
 *      Dockerfiles in different folders that came out with one folder get their Dockerfiles' folders
 *   2. image-only units get one when their image name names a folder
 *   3. units with the same folder are one service; a unit without a folder
 *      joins the service with its name or image, else stands alone
 *   4. what is not first-party is infrastructure: a folder with no code (an
 *      image built from a local Dockerfile over `mongo`, a tooling image), or
 *      an image no folder builds whose registry path first-party images do
 *      not share (`grafana/loki`, `eventuateio/eventuate-cdc-service`)
 *
 * Every step is a map lookup per unit: linear in the number of units.
 */
import type { DeploymentUnit } from '../facts.js';
import { dirOf, type RepoIndex } from './repo-index.js';
import { buildDockerfile, imageRepository, sourceDirOfBuild, sourceDirOfImage, sourceDirOfPaths } from './source-dir.js';

export interface LinkedUnit<T = unknown> {
  unit: DeploymentUnit;
  /** The format's own record (ComposeService, KubernetesWorkload…), carried through for the model. */
  origin: T;
}

export interface LinkedService<T = unknown> {
  name: string;
  dir: string | null;
  units: Array<LinkedUnit<T>>;
  /** Why the units are infrastructure rather than a first-party service, or null for a service. */
  infrastructure: string | null;
}

const FORMAT_ORDER: Readonly<Record<DeploymentUnit['format'], number>> = { compose: 0, kubernetes: 1, helm: 2, nomad: 3, aspire: 4, skaffold: 5, other: 6 };

/** A unit name without the suffixes deployment formats add (`orders-deployment`, `orders-v2`). */
export function bareName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[-_](deployment|deploy|statefulset|sts|daemonset|rollout|job|chart|release)$/, '')
    .replace(/[-_]v\d+$/, '');
}

const registryPath = (image: string): string => {
  const repo = imageRepository(image);
  const slash = repo.lastIndexOf('/');
  return slash === -1 ? '' : repo.slice(0, slash);
};

export interface LinkOptions {
  /** Paths a Dockerfile names (COPY/ADD sources, path-like RUN arguments). */
  dockerPaths: (dockerfile: string) => readonly string[];
  /** Whether an image is known third-party infrastructure (databases, brokers, proxies, collectors…). */
  isInfrastructureImage: (image: string) => string | null;
  /** Build unit folder of a unit name a format gives instead of a folder (Aspire projects). */
  projectDir: (project: string) => string | null;
  /** The base images of a Dockerfile (FROM, stages excluded), for an image built over a database or broker. */
  dockerBases?: (dockerfile: string) => readonly string[];
  /** Whether an image is a third-party product (a database, broker, cache, proxy, collector, platform server), not a bare OS or toolchain image. */
  productImage?: (image: string) => string | null;
}

/**
 * Builds that name different Dockerfiles in different folders are different code, even when their folder came out
 * the same (a shared context, typically the repository root, and Dockerfiles in folders of their own that hold code
 * no extractor reads, an Envoy or nginx configuration, or nothing the Dockerfile copies by a path we can follow):
 * each such unit is its Dockerfile's folder. One Dockerfile, or several in one folder, stay one service.
 */
function separateSharedContexts<T>(units: ReadonlyArray<LinkedUnit<T>>, dirOfUnit: Map<LinkedUnit<T>, string | null>, index: RepoIndex): void {
  const byDir = new Map<string, Array<[LinkedUnit<T>, string]>>();
  for (const linked of units) {
    const dir = dirOfUnit.get(linked);
    const { unit } = linked;
    if (dir == null || unit.sourceDir !== null || unit.project || !unit.build) continue;
    const dockerfile = buildDockerfile(unit.build, index);
    if (dockerfile === null) continue;
    const list = byDir.get(dir) ?? [];
    list.push([linked, dirOf(dockerfile)]);
    byDir.set(dir, list);
  }
  for (const [dir, group] of byDir) {
    if (new Set(group.map(([, folder]) => folder)).size < 2) continue;
    for (const [linked, folder] of group) if (folder !== dir && (dir === '.' || folder.startsWith(`${dir}/`))) dirOfUnit.set(linked, folder);
  }
}

export function linkServices<T>(units: ReadonlyArray<LinkedUnit<T>>, index: RepoIndex, options: LinkOptions): Array<LinkedService<T>> {
  const ordered = [...units].sort((a, b) => FORMAT_ORDER[a.unit.format] - FORMAT_ORDER[b.unit.format]);
  const dirOfUnit = new Map<LinkedUnit<T>, string | null>();
  const claimed = new Set<string>();
  // 1. Units whose format names their code.
  for (const linked of ordered) {
    const { unit } = linked;
    let dir: string | null = unit.sourceDir;
    if (dir === null && unit.project) dir = options.projectDir(unit.project);
    if (dir === null && unit.build) dir = sourceDirOfBuild(unit.build, [unit.name, ...unit.images.map((i) => i.split('/').pop()!)], index, options.dockerPaths);
    if (dir === null && unit.images.length === 0 && unit.paths) dir = sourceDirOfPaths(unit.paths, index);
    dirOfUnit.set(linked, dir);
  }
  separateSharedContexts(ordered, dirOfUnit, index);
  for (const dir of dirOfUnit.values()) if (dir !== null) claimed.add(dir);
  // 2. Image-only units: the folder of a unit that builds the same image, else the folder the image name names.
  const builtImages = new Map<string, string>();
  for (const linked of ordered) {
    const dir = dirOfUnit.get(linked);
    if (dir) for (const image of linked.unit.images) if (!builtImages.has(imageRepository(image))) builtImages.set(imageRepository(image), dir);
  }
  for (const linked of ordered) {
    if (dirOfUnit.get(linked) !== null) continue;
    let dir: string | null = linked.unit.images.map((image) => builtImages.get(imageRepository(image))).find((d) => d !== undefined) ?? null;
    if (dir !== null) {
      dirOfUnit.set(linked, dir);
      continue;
    }
    for (const image of linked.unit.images) {
      if (options.isInfrastructureImage(image)) continue;
      dir = sourceDirOfImage(image, index, claimed);
      if (dir !== null) break;
    }
    dirOfUnit.set(linked, dir);
  }
  // 3. Group.
  const byDir = new Map<string, LinkedService<T>>();
  const byName = new Map<string, LinkedService<T>>();
  const byImage = new Map<string, LinkedService<T>>();
  const out: Array<LinkedService<T>> = [];
  const remember = (service: LinkedService<T>, linked: LinkedUnit<T>) => {
    if (!byName.has(bareName(linked.unit.name))) byName.set(bareName(linked.unit.name), service);
    for (const image of linked.unit.images) if (!byImage.has(imageRepository(image))) byImage.set(imageRepository(image), service);
  };
  for (const linked of ordered) {
    const dir = dirOfUnit.get(linked) ?? null;
    let service = dir !== null ? byDir.get(dir) : undefined;
    service ??= byName.get(bareName(linked.unit.name)) ?? (dir === null ? byName.get(bareName(linked.unit.name).replace(/[-_](api|service|svc|app|server|worker|web|http|grpc)$/, '')) : undefined);
    service ??= linked.unit.images.map((image) => byImage.get(imageRepository(image))).find((s) => s !== undefined);
    if (service && dir !== null && service.dir !== null && service.dir !== dir) service = undefined; // same name, other code
    if (!service) {
      service = { name: linked.unit.name, dir, units: [], infrastructure: null };
      out.push(service);
    }
    if (service.dir === null && dir !== null) service.dir = dir;
    if (service.dir !== null) byDir.set(service.dir, service);
    service.units.push(linked);
    remember(service, linked);
  }
  // 4. First-party or infrastructure.
  const firstPartyPaths = new Set<string>();
  for (const service of out) {
    if (service.dir === null) continue;
    for (const { unit } of service.units) for (const image of unit.images) if (registryPath(image) !== '') firstPartyPaths.add(registryPath(image));
  }
  const anyLinked = out.some((s) => s.dir !== null);
  for (const service of out) {
    const images = service.units.flatMap((u) => u.unit.images);
    // Infrastructure when every image it runs is (a pod of an application and an Envoy sidecar is the application).
    const roles = images.map((image) => options.isInfrastructureImage(image));
    const known = roles.length > 0 && roles.every((role) => role !== null) ? roles[0]! : undefined;
    if (service.dir !== null) {
      const codeHere = index.manifestDirs.has(service.dir) || index.sourceDirs.has(service.dir) || index.hasSourceBelow(service.dir);
      // A folder that is there and holds no code builds an image over a third-party one; a folder that is gone is
      // still the service's (its entry outlived its code: `arch compose --prune` reports it).
      if (!codeHere && index.dirs.has(service.dir)) {
        service.infrastructure = `built from ${service.dir}, which holds no code (an image over ${known ?? 'a third-party base'})`;
        continue;
      }
      // A folder that is gone leaves the name: a service named after an infrastructure product (`elasticsearch`,
      // `kibana`) whose build is missing is that product, not first-party code.
      if (!index.dirs.has(service.dir)) {
        const named = options.isInfrastructureImage(service.name);
        if (named !== null) service.infrastructure = `named ${service.name}, built from ${service.dir}, which is missing (${named})`;
        continue;
      }
      // An image built over a database or broker image, with scripts but no build manifest: configured infrastructure.
      const dockerfile = service.units.map((u) => u.unit.build?.dockerfile ?? index.dockerfiles.get(u.unit.build?.context ?? service.dir!)?.[0]).find((f) => f);
      // The image that runs is the last stage's: `FROM alpine AS build` … `FROM nginx` is an nginx. A bare OS or
      // toolchain image (alpine, debian, golang) is no product: code built over it is first-party.
      const last = dockerfile && options.dockerBases ? options.dockerBases(dockerfile).at(-1) : undefined;
      const base = last !== undefined ? (options.productImage ?? options.isInfrastructureImage)(last) : null;
      if (base && !index.manifestDirs.has(service.dir)) service.infrastructure = `built from ${service.dir} over ${base}`;
      continue;
    }
    if (known) service.infrastructure = known;
    // An image of an unknown registry path is third-party when the repository's own images show theirs; when its
    // images have no registry path to compare (built, not named), an unknown image may be its own, built elsewhere.
    else if (anyLinked && firstPartyPaths.size > 0 && images.length > 0 && !images.some((image) => firstPartyPaths.has(registryPath(image)))) {
      service.infrastructure = `third-party image ${images[0]} (no folder of the repository builds it)`;
    }
  }
  return out;
}
