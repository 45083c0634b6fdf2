/**
 * Helm charts (Chart.yaml): the workloads a chart deploys with its default values, as deployment units.
 *
 * The chart's templates are read with its values.yaml (helm-utils/template.ts: plain `.Values` lookups and
 * simple `if`/`with`/`range` are followed, nothing else is evaluated). Each Deployment, StatefulSet, DaemonSet
 * or Rollout it renders is a unit named after the release (`fullnameOverride`, else `nameOverride`, else the
 * chart's name): images (from the template when it can be read, else from values `image`), replicas, an
 * HPA/ScaledObject the values leave enabled, probes, the environment (template `env`/`envFrom` with the chart's
 * ConfigMaps resolved, the values' `env`/`extraEnv`… maps, values-<profile>.yaml as profiles), NodePort and
 * LoadBalancer Services as published ports; Ingress rules are gateway routes to the chart's Service.
 *
 * Dependencies: a subchart (`file://` repository or an unpacked `charts/<name>`) is rendered with the parent's
 * values for it (`<alias or name>:`) over its own, unless its `condition` is false. A parent with one deploying
 * subchart and no workload of its own (a chart that fills in a shared base chart) is one unit named after the
 * parent; an umbrella gives one unit per subchart. Library charts, a base chart whose image repository is left
 * empty, and charts vendored under a parent's `charts/` (the parent renders them) deploy nothing on their own.
 */
import type { DeploymentUnit, Evidence, GatewayDecl, Setting } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractContext, type ExtractResult } from './define-extractor.js';
import { deploymentUnit, folderOf, inRepo } from './deployment-unit.js';
import { autoscaler, chartObjects, configMaps, containers, environment, ingressGateways, probes, published, servicesOf, unknownText, WORKLOAD_KINDS, type ChartObject } from './helm-utils/objects.js';
import { renderTemplate } from './helm-utils/template.js';
import { mergeValues, valueIn, valuesEnvironment, valuesImage } from './helm-utils/values.js';
import { asMap, isMap, readYamlFile, text, type Json, type YamlFile } from './yaml-values.js';

/** How deep subcharts of subcharts are followed. */
const MAX_NESTING = 3;

interface Chart {
  dir: string;
  meta: YamlFile;
  name: string;
  appVersion: string | null;
  library: boolean;
}

function readChart(ctx: ExtractContext, dir: string, source?: string): Chart | null {
  const file = dir === '.' ? 'Chart.yaml' : `${dir}/Chart.yaml`;
  const meta = readYamlFile(file, source ?? ctx.read(file));
  if (!meta || !isMap(meta.value)) return null;
  const name = text(meta.value.name);
  if (!name) return null;
  return { dir, meta, name, appVersion: text(meta.value.appVersion), library: meta.value.type === 'library' };
}

const valuesPath = (dir: string, base: string): string => (dir === '.' ? base : `${dir}/${base}`);

/** What one chart (and its subcharts) deploys, collected as the chart is walked. */
interface Output {
  units: DeploymentUnit[];
  gateways: GatewayDecl[];
}

export default defineExtractor({
  id: 'helm',
  description: 'Helm charts: workloads rendered from templates and values (images, replicas, autoscaling, probes, env, published ports), subcharts and umbrellas, Ingress routes',
  accepts: (file) => file.base === 'Chart.yaml',
  extract({ path, text: source }, ctx) {
    const dir = folderOf(path);
    const chart = readChart(ctx, dir, source);
    if (!chart) return { diagnostics: [{ file: path, message: 'cannot read the chart: Chart.yaml needs a name' }] };
    if (chart.library) return null;
    // A chart vendored under another chart's charts/ folder is deployed by that parent.
    const parts = dir.split('/');
    if (parts.length >= 2 && parts[parts.length - 2] === 'charts' && ctx.read(valuesPath(parts.slice(0, -2).join('/') || '.', 'Chart.yaml')) !== null) return null;
    const values = readYamlFile(valuesPath(dir, 'values.yaml'), ctx.read(valuesPath(dir, 'values.yaml')));
    const out: Output = { units: [], gateways: [] };
    deploy(ctx, chart, values?.value ?? {}, values ? [{ file: values, prefix: [] }] : [], releaseName(chart.name, values?.value ?? {}), out, 0);
    if (out.units.length === 0 && out.gateways.length === 0) return null;
    const result: ExtractResult = {};
    if (out.units.length > 0) result.deployments = out.units;
    if (out.gateways.length > 0) result.gateways = out.gateways;
    return result;
  },
});

/** A values file that holds part of a chart's values, and where in it they start (`[]`, or `['orders']` in a parent). */
interface ValuesSource {
  file: YamlFile;
  prefix: string[];
}

function releaseName(fallback: string, values: Json): string {
  const map = asMap(values);
  return text(map.fullnameOverride) || text(map.nameOverride) || fallback;
}

/** Renders a chart's templates and its subcharts with `values`, adding the units they deploy to `out`. */
function deploy(ctx: ExtractContext, chart: Chart, values: Json, sources: readonly ValuesSource[], release: string, out: Output, depth: number): void {
  const { objects, included } = renderChart(ctx, chart, values, release);
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && containers(o).length > 0);
  const own = workloads.filter((w) => deployable(w, values, chart.appVersion));
  const single = own.length === 1;
  own.forEach((w) => out.units.push(workloadUnit(w, objects, single, values, sources, chart, single ? release : workloadName(w, release), ctx)));
  const image = valuesImage(values, chart.appVersion);
  if (own.length === 0 && included && image) out.units.push(valuesUnit(release, image, values, sources, included, ctx));
  out.gateways.push(...ingressGateways(objects, release));
  if (depth >= MAX_NESTING) return;
  // Helm 2 charts list them in requirements.yaml.
  const deps = asMap(chart.meta.value).dependencies ?? asMap(readYamlFile(valuesPath(chart.dir, 'requirements.yaml'), ctx.read(valuesPath(chart.dir, 'requirements.yaml')))?.value).dependencies;
  const subcharts = (Array.isArray(deps) ? deps : []).flatMap((d, k) => {
    const dep = asMap(d);
    const name = text(dep.name);
    if (!name || !enabled(text(dep.condition), values)) return [];
    const repository = text(dep.repository) ?? '';
    const dir = repository.startsWith('file://') ? inRepo(chart.dir, repository.slice('file://'.length)) : inRepo(chart.dir, `charts/${name}`);
    const sub = dir ? readChart(ctx, dir) : null;
    if (!sub || sub.library) return [];
    return [{ sub, key: text(dep.alias) ?? name, line: chart.meta.lineOf(['dependencies', k]) ?? 1 }];
  });
  for (const { sub, key } of subcharts) {
    const subValuesFile = readYamlFile(valuesPath(sub.dir, 'values.yaml'), ctx.read(valuesPath(sub.dir, 'values.yaml')));
    const parentPart = asMap(values)[key];
    let merged = mergeValues(subValuesFile?.value ?? {}, isMap(parentPart) ? parentPart : undefined);
    const global = asMap(values).global;
    if (isMap(global)) merged = mergeValues(merged, { global });
    // A parent that only fills in one base chart is that chart's release; an umbrella names each subchart's.
    const wrapper = own.length === 0 && subcharts.length === 1;
    const name = text(asMap(merged).fullnameOverride) || text(asMap(merged).nameOverride) || (wrapper ? release : key);
    const subSources: ValuesSource[] = [...sources.map((s) => ({ file: s.file, prefix: [...s.prefix, key] })), ...(subValuesFile ? [{ file: subValuesFile, prefix: [] }] : [])];
    deploy(ctx, sub, merged, subSources, name, out, depth + 1);
  }
}

/** Whether a dependency's `condition` (comma-separated value paths, the first one set decides) lets it deploy. */
function enabled(condition: string | null, values: Json): boolean {
  if (!condition) return true;
  for (const path of condition.split(',')) {
    const value = valueIn(values, path.trim().split('.'));
    if (typeof value === 'boolean') return value;
  }
  return true;
}

/** A library chart's workload template a chart includes (`{{ include "common.deployment" . }}`). */
const INCLUDED_WORKLOAD = /\{\{-?\s*(?:include|template)\s+"[\w.-]*(?:deployment|statefulset|daemonset)[\w.-]*"/i;

/** The objects a chart's templates render, and where a template includes a workload from a library chart instead. */
function renderChart(ctx: ExtractContext, chart: Chart, values: Json, release: string): { objects: ChartObject[]; included: Location | null } {
  const templates = ctx.list(valuesPath(chart.dir, 'templates'));
  const objects: ChartObject[] = [];
  let included: Location | null = null;
  const scope = { values, chart: { Name: chart.name, Version: text(asMap(chart.meta.value).version) ?? '', AppVersion: chart.appVersion ?? '' }, release: { Name: release } };
  for (const file of templates) {
    const lower = file.toLowerCase();
    if (!(lower.endsWith('.yaml') || lower.endsWith('.yml'))) continue;
    // Templates of the chart itself, not of a subchart vendored under templates/…/charts/.
    if (file.slice(valuesPath(chart.dir, 'templates').length + 1).includes('/charts/')) continue;
    const source = ctx.read(file);
    if (source === null) continue;
    const rendered = renderTemplate(source, scope);
    if (rendered) objects.push(...chartObjects(file, rendered));
    const match: RegExpExecArray | null = included ? null : INCLUDED_WORKLOAD.exec(source);
    if (match) included = { file, line: lineOfOffset(source, match.index) };
  }
  return { objects, included };
}

function lineOfOffset(source: string, offset: number): number {
  let line = 1;
  for (let k = source.indexOf('\n'); k !== -1 && k < offset; k = source.indexOf('\n', k + 1)) line += 1;
  return line;
}

/**
 * The unit of a chart whose workload a library chart's template renders: what its values say (image, replicaCount,
 * autoscaling.enabled, probes, env, service type and port).
 */
function valuesUnit(name: string, image: string, values: Json, sources: readonly ValuesSource[], location: Location, ctx: ExtractContext): DeploymentUnit {
  const map = asMap(values);
  const health: Evidence[] = [];
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const spec = map[probe] ?? asMap(map.probes)[probe.replace('Probe', '')];
    if (isMap(spec) && spec.enabled !== false) health.push({ what: `${probe} (values)`, location });
  }
  const service = asMap(map.service);
  const type = text(service.type);
  const port = text(service.nodePort) ?? text(service.port);
  const autoscaling = asMap(map.autoscaling).enabled === true;
  return deploymentUnit('helm', name, location, {
    images: [image],
    environment: valuesSettings(sources, new Set(), ctx),
    published: (type === 'NodePort' || type === 'LoadBalancer') && port ? [port] : [],
    replicas: autoscaling ? null : typeof map.replicaCount === 'number' ? map.replicaCount : null,
    autoscaling,
    health,
  });
}

/** The image(s) a workload runs: the template's when it could be read, else the values'. */
function workloadImages(w: ChartObject, values: Json, appVersion: string | null): string[] | null {
  const written = containers(w).map((c) => text(c.image) ?? '');
  const fromValues = valuesImage(values, appVersion);
  const images: string[] = [];
  for (const image of written) {
    if (image === '' || unknownText(image)) continue;
    // `:tag` with no repository: the chart leaves the image to whoever deploys it.
    if (image.startsWith(':') || image.startsWith('/')) return null;
    images.push(image);
  }
  if (images.length > 0) return [...new Set(images)];
  if (fromValues === '') return null;
  return fromValues ? [fromValues] : [];
}

/** A workload Helm could deploy with these values: one whose image is not left empty for another chart to fill in. */
function deployable(w: ChartObject, values: Json, appVersion: string | null): boolean {
  return workloadImages(w, values, appVersion) !== null;
}

/** Name of one of several workloads of a chart: its name as rendered, the unread parts read as the release. */
function workloadName(w: ChartObject, release: string): string {
  const name = w.name ?? w.kind.toLowerCase();
  if (!unknownText(name)) return name;
  const tail = name.slice(name.lastIndexOf('}}') + 2);
  return `${release}${tail}`;
}

function workloadUnit(w: ChartObject, objects: readonly ChartObject[], single: boolean, values: Json, sources: readonly ValuesSource[], chart: Chart, name: string, ctx: ExtractContext): DeploymentUnit {
  const spec = asMap(w.value.spec);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : typeof asMap(values).replicaCount === 'number' && spec.replicas !== undefined ? (asMap(values).replicaCount as number) : null;
  const env = environment(w, configMaps(objects));
  env.push(...valuesSettings(sources, new Set(env.map((s) => s.key)), ctx));
  const services = servicesOf(objects, w, single);
  const ports = published(services);
  const health: Evidence[] = probes(w);
  const aliases = services.filter((o) => o.name && !unknownText(o.name) && o.name !== name).map((o) => o.name!);
  return deploymentUnit('helm', name, { file: w.file, line: w.line(['kind']) }, {
    images: workloadImages(w, values, chart.appVersion) ?? [],
    environment: env,
    published: ports.map((p) => p.port),
    replicas: w.kind === 'DaemonSet' ? null : replicas,
    autoscaling: autoscaler(objects, w, single),
    health,
    ...(aliases.length > 0 ? { aliases: [...new Set(aliases)] } : {}),
  });
}

/** The environment values files set directly (keys in `seen` left out, each key once), then their profiles'. */
function valuesSettings(sources: readonly ValuesSource[], seen: Set<string>, ctx: ExtractContext): Setting[] {
  const out: Setting[] = [];
  for (const s of sources) {
    for (const setting of valuesEnvironment(s.file, valueIn(s.file.value, s.prefix), s.prefix, null)) {
      if (!seen.has(setting.key)) out.push(setting);
      seen.add(setting.key);
    }
  }
  return [...out, ...profileEnvironment(ctx, sources)];
}

/** Environment set by the values-<profile>.yaml / values.<profile>.yaml files beside each values file, under its profile. */
function profileEnvironment(ctx: ExtractContext, sources: readonly ValuesSource[]): Setting[] {
  const out: Setting[] = [];
  for (const source of sources) {
    const dir = folderOf(source.file.file);
    for (const file of ctx.list(dir)) {
      const match = /^values[-.]([^/]+)\.ya?ml$/.exec(dir === '.' ? file : file.slice(dir.length + 1));
      if (!match) continue;
      const values = readYamlFile(file, ctx.read(file));
      if (values) out.push(...valuesEnvironment(values, valueIn(values.value, source.prefix), source.prefix, match[1]!));
    }
  }
  return out;
}
