/**
 * Gradle builds (`build.gradle`, `build.gradle.kts`, `settings.gradle(.kts)`): the project (modules from
 * `include`, `project(':x')` references, executable when the Spring Boot / application / Quarkus / Micronaut / Jib
 * plugin is applied, Jib and bootBuildImage image names) and its dependencies with their configuration's scope.
 * Version-catalog aliases (`libs.x.y`) are resolved through `gradle/libs.versions.toml`; convention plugins from
 * `buildSrc` / `build-logic` are read for the dependencies and plugins they add.
 */
import type { BuildUnit, Dependency } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { statements, strings, tokenize, type Statement, type Token } from './jvm/gradle-script.js';
import { normalizeAlias, readCatalog, type Catalog } from './jvm/gradle-catalog.js';
import { dirOf, isJvmTestOrOutput, joinPath } from './jvm/paths.js';

const BUILD = new Set(['build.gradle', 'build.gradle.kts']);
const SETTINGS = new Set(['settings.gradle', 'settings.gradle.kts']);
/** Plugins that make a project a program that runs on its own. */
const RUNNABLE = new Set(['org.springframework.boot', 'application', 'io.quarkus', 'io.micronaut.application', 'com.google.cloud.tools.jib', 'io.micronaut.minimal.application']);
const RUNTIME = new Set(['implementation', 'api', 'compile', 'runtimeOnly', 'runtime', 'providedRuntime']);
const CONVENTION_DIRS = ['buildSrc', 'build-logic'];

type Read = (path: string) => string | null;

interface Collected {
  dependencies: Dependency[];
  references: string[];
  plugins: string[];
  images: string[];
  modules: string[];
}

export default defineExtractor({
  id: 'gradle',
  description: 'Gradle build.gradle(.kts) / settings.gradle(.kts): the project (modules, project references, executable, images) and its dependencies with scope',
  accepts: (file) => (BUILD.has(file.base) || SETTINGS.has(file.base)) && !isJvmTestOrOutput(file.path) && !file.path.split('/').some((s) => CONVENTION_DIRS.includes(s)),
  extract({ path, text }, ctx): ExtractResult | null {
    const dir = dirOf(path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const root = rootOf(dir, ctx.read);
    const settingsText = root ? (ctx.read(`${prefix(root.dir)}${root.settings}`) ?? '') : '';
    if (SETTINGS.has(base) && [...BUILD].some((b) => ctx.read(`${prefix(dir)}${b}`) !== null)) return null;
    const catalog = readCatalog(ctx.read(`${prefix(root?.dir ?? dir)}gradle/libs.versions.toml`));
    const projectDirs = root ? projectDirsOf(statements(tokenize(settingsText)), root.dir) : new Map<string, string>();
    const resolveProject = (projectPath: string) => projectDirs.get(projectPath) ?? joinPath(root?.dir ?? dir, projectPath.split(':').filter(Boolean).join('/')) ?? '.';
    const collected = collect(path, statements(tokenize(text)), catalog, resolveProject);
    for (const plugin of [...collected.plugins]) {
      if (RUNNABLE.has(plugin)) continue;
      const convention = conventionPlugin(plugin, root?.dir ?? dir, ctx.read);
      if (!convention) continue;
      const added = collect(convention.path, statements(tokenize(convention.text)), catalog, resolveProject);
      collected.dependencies.push(...added.dependencies);
      collected.references.push(...added.references);
      collected.plugins.push(...added.plugins);
    }
    const isRoot = root === null || root.dir === dir;
    const modules = isRoot && root ? [...projectDirs.values()] : [];
    const unit: BuildUnit = {
      kind: 'gradle',
      dir,
      name: isRoot && root ? (rootName(settingsText) ?? lastSegment(dir)) : lastSegment(dir),
      executable: collected.plugins.some((p) => RUNNABLE.has(p)) ? true : null,
      parent: isRoot || !root ? null : root.dir,
      modules: [...new Set(modules)],
      references: [...new Set(collected.references)],
      images: collected.images,
      location: { file: path, line: 1 },
    };
    return { unit, dependencies: collected.dependencies };
  },
});

const prefix = (dir: string) => (dir === '.' ? '' : `${dir}/`);
const lastSegment = (dir: string) => (dir === '.' ? null : dir.slice(dir.lastIndexOf('/') + 1));

/** The build's root: the nearest folder at or above `dir` with a settings script. */
function rootOf(dir: string, read: Read): { dir: string; settings: string } | null {
  for (let current: string | null = dir; current !== null; current = current === '.' ? null : dirOf(current)) {
    for (const settings of SETTINGS) if (read(`${prefix(current)}${settings}`) !== null) return { dir: current, settings };
  }
  return null;
}

function rootName(settings: string): string | null {
  for (const statement of statements(tokenize(settings))) {
    const [first, second] = statement.tokens;
    if (first?.text === 'rootProject.name' && second?.text === '=') return strings(statement.tokens)[0]?.text ?? null;
  }
  return null;
}

/** `include 'a', ':b:c'` → project path → folder; `project(':a').projectDir = file('x')` overrides. */
function projectDirsOf(settings: Statement[], root: string): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const { tokens } of settings) {
    const first = tokens[0]?.text;
    if (first === 'include') {
      for (const token of strings(tokens)) {
        const projectPath = token.text.startsWith(':') ? token.text : `:${token.text}`;
        const folder = joinPath(root, projectPath.split(':').filter(Boolean).join('/'));
        if (folder !== null) dirs.set(projectPath, folder);
      }
    } else if (first === 'project' && tokens.some((t) => t.text.endsWith('projectDir'))) {
      const [projectPath, folder] = strings(tokens);
      const resolved = folder ? joinPath(root, folder.text) : null;
      if (projectPath && resolved !== null) dirs.set(projectPath.text.startsWith(':') ? projectPath.text : `:${projectPath.text}`, resolved);
    }
  }
  return dirs;
}

function scopeOf(configuration: string): Dependency['scope'] {
  if (/test/i.test(configuration)) return 'test';
  return RUNTIME.has(configuration) ? 'runtime' : 'build';
}

function collect(path: string, script: Statement[], catalog: Catalog, resolveProject: (p: string) => string): Collected {
  const out: Collected = { dependencies: [], references: [], plugins: [], images: [], modules: [] };
  for (const { blocks, tokens } of script) {
    const first = tokens[0];
    if (!first || first.kind !== 'name') continue;
    const inner = blocks.at(-1) ?? '';
    if (inner === 'plugins') out.plugins.push(...pluginIds(tokens, catalog));
    if (first.text === 'apply' || first.text.endsWith('.apply')) out.plugins.push(...appliedPlugins(tokens));
    if (inner === 'to' && blocks.at(-2) === 'jib' && first.text === 'image') out.images.push(...strings(tokens).map((t) => t.text));
    if (first.text === 'jib.to.image' || ((inner === 'bootBuildImage' || inner.endsWith('bootBuildImage')) && first.text.startsWith('imageName'))) out.images.push(...strings(tokens).map((t) => t.text));
    if (!(inner === 'dependencies' || inner.endsWith('.dependencies')) || blocks.includes('buildscript') || blocks.includes('constraints')) continue;
    const declared = dependencyOf(tokens, catalog, resolveProject);
    if (declared?.kind === 'project') out.references.push(declared.dir);
    else if (declared) out.dependencies.push({ ecosystem: 'gradle', name: declared.name, scope: scopeOf(first.text), location: { file: path, line: first.line } });
  }
  return out;
}

/** `conf 'g:a:v'`, `conf("g:a:v")`, `conf group: 'g', name: 'a'`, `conf project(':x')`, `conf(libs.x)`; platforms and files are skipped. */
function dependencyOf(tokens: Token[], catalog: Catalog, resolveProject: (p: string) => string): { kind: 'library'; name: string } | { kind: 'project'; dir: string } | null {
  const rest = tokens.slice(1).filter((t) => !(t.kind === 'punct' && (t.text === '(' || t.text === ')')));
  const head = rest[0];
  if (!head) return null;
  if (head.kind === 'name' && (head.text === 'platform' || head.text === 'enforcedPlatform' || head.text === 'files' || head.text === 'fileTree' || head.text === 'kotlin')) return null;
  if (head.kind === 'name' && head.text === 'project') {
    const target = rest.find((t) => t.kind === 'string');
    return target ? { kind: 'project', dir: resolveProject(target.text.startsWith(':') ? target.text : `:${target.text}`) } : null;
  }
  if (head.kind === 'name' && head.text.startsWith('libs.')) {
    const module = catalog.libraries.get(normalizeAlias(head.text.slice(5)));
    return module ? { kind: 'library', name: module } : null;
  }
  if (head.kind === 'name' && (head.text === 'group' || head.text === 'name')) {
    const value = (key: string) => {
      const at = rest.findIndex((t) => t.text === key);
      return at === -1 ? null : (rest.slice(at + 1).find((t) => t.kind === 'string')?.text ?? null);
    };
    const group = value('group');
    const name = value('name');
    return group && name ? { kind: 'library', name: `${group}:${name}` } : null;
  }
  if (head.kind === 'string') {
    const parts = head.text.split(':');
    return parts.length >= 2 && parts[0] && parts[1] ? { kind: 'library', name: `${parts[0]}:${parts[1]}` } : null;
  }
  return null;
}


/** `id 'x'`, `id("x") version "1" apply false` (not applied), `alias(libs.plugins.x)`, a bare `application` or `` `java-library` ``. */
function pluginIds(tokens: Token[], catalog: Catalog): string[] {
  if (tokens.some((t, i) => t.text === 'apply' && tokens[i + 1]?.text === 'false')) return [];
  const first = tokens[0]!;
  if (first.text === 'id') return strings(tokens).slice(0, 1).map((t) => t.text);
  if (first.text === 'alias') {
    const alias = tokens.find((t) => t.kind === 'name' && t.text.startsWith('libs.plugins.'));
    const id = alias ? catalog.plugins.get(normalizeAlias(alias.text.slice('libs.plugins.'.length))) : undefined;
    return id ? [id] : [];
  }
  return tokens.length === 1 && first.kind === 'name' ? [first.text] : [];
}

/** `apply plugin: 'x'`, `apply(plugin = "x")`, `project.apply(plugin: 'x')`, `apply plugin: ConventionClass`. */
function appliedPlugins(tokens: Token[]): string[] {
  const at = tokens.findIndex((t) => t.text === 'plugin');
  if (at === -1) return [];
  const value = tokens.slice(at + 1).find((t) => t.kind === 'string' || (t.kind === 'name' && t.text !== 'plugin'));
  return value ? [value.text] : [];
}

/** A convention plugin of the build: `buildSrc/src/main/groovy/<Name>.groovy`, or a precompiled script plugin `<id>.gradle(.kts)`. */
function conventionPlugin(id: string, root: string, read: Read): { path: string; text: string } | null {
  for (const folder of CONVENTION_DIRS) {
    for (const candidate of [`groovy/${id}.groovy`, `kotlin/${id}.kt`, `groovy/${id}.gradle`, `kotlin/${id}.gradle.kts`]) {
      const path = `${prefix(root)}${folder}/src/main/${candidate}`;
      const text = read(path);
      if (text !== null) return { path, text };
    }
  }
  return null;
}
