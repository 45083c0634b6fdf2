/** Maven POMs: the module (parent, child modules, executable or library, image names) and its dependencies with scope. */
import type { BuildUnit, Dependency } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { dirOf, isJvmTestOrOutput, joinPath } from './jvm/paths.js';
import { child, children, parseXml, textAt, type XmlElement } from './jvm/xml.js';

/** Plugins whose presence in `<build><plugins>` makes the module a program that runs on its own. */
const RUNNABLE_PLUGINS = new Set(['spring-boot-maven-plugin', 'quarkus-maven-plugin', 'micronaut-maven-plugin', 'jib-maven-plugin']);

const SCOPES: Record<string, Dependency['scope']> = { test: 'test', provided: 'build', system: 'build' };

export default defineExtractor({
  id: 'maven',
  description: 'Maven pom.xml: the module (parent, modules, executable, image names) and its dependencies with scope',
  accepts: (file) => file.base === 'pom.xml' && !isJvmTestOrOutput(file.path),
  extract({ path, text }, ctx): ExtractResult | null {
    const { root, error } = parseXml(text);
    if (!root || root.name !== 'project') {
      return { diagnostics: [{ file: path, message: `not a Maven POM: ${error ?? 'no <project> element'}` }] };
    }
    const dir = dirOf(path);
    const parent = parentOf(root, dir, ctx.read);
    const properties = propertiesOf(root, parent?.root ?? null);
    const resolve = (value: string | null): string | null => (value === null ? null : value.replace(/\$\{([^}]+)\}/g, (all, key: string) => properties.get(key) ?? all));

    const dependencies: Dependency[] = children(child(root, 'dependencies'), 'dependency').map((dependency) => ({
      ecosystem: 'maven',
      name: `${resolve(textAt(dependency, 'groupId')) ?? ''}:${resolve(textAt(dependency, 'artifactId')) ?? ''}`,
      scope: SCOPES[textAt(dependency, 'scope') ?? ''] ?? 'runtime',
      location: { file: path, line: dependency.line },
    }));

    const exists = (relative: string) => {
      const file = joinPath(dir, relative.replace(/\$\{(project\.)?basedir\}\/?/, ''));
      return file !== null && ctx.read(file) !== null;
    };
    const own = [root, ...activeProfiles(root, exists)].flatMap((pom) => children(child(child(pom, 'build'), 'plugins'), 'plugin'));
    // Plugins of the parent's build (and of its active profiles, judged from this module) run in this module too.
    const inherited = parent ? [parent.root, ...activeProfiles(parent.root, exists)].flatMap((pom) => children(child(child(pom, 'build'), 'plugins'), 'plugin')) : [];
    const plugins = [...own, ...inherited];
    const unit: BuildUnit = {
      kind: 'maven',
      dir,
      name: resolve(textAt(root, 'artifactId')),
      executable: textAt(root, 'packaging') === 'pom' ? false : plugins.some(isRunnable) ? true : null,
      parent: parent?.dir ?? null,
      modules: children(child(root, 'modules'), 'module').flatMap((module) => {
        const folder = joinPath(dir, module.text.endsWith('.xml') ? dirOf(module.text) : module.text);
        return folder === null ? [] : [folder];
      }),
      references: [],
      images: own.flatMap(imagesOf).flatMap((image) => resolve(image) ?? []),
      location: { file: path, line: root.line },
    };
    return { unit, dependencies, ...(error ? { diagnostics: [{ file: path, message: `malformed POM: ${error}` }] } : {}) };
  },
});

/** The parent POM when it is in the repository: `<relativePath>` (default `../pom.xml`); an empty one means "from a repository". */
function parentOf(root: XmlElement, dir: string, read: (path: string) => string | null): { dir: string; root: XmlElement } | null {
  const parent = child(root, 'parent');
  if (!parent) return null;
  const relative = child(parent, 'relativePath');
  if (relative && relative.text === '') return null;
  const written = relative?.text ?? '../pom.xml';
  const file = joinPath(dir, written.endsWith('.xml') ? written : `${written}/pom.xml`);
  if (file === null) return null;
  const text = read(file);
  if (text === null) return null;
  const parsed = parseXml(text).root;
  if (!parsed || textAt(parsed, 'artifactId') !== textAt(parent, 'artifactId')) return null;
  return { dir: dirOf(file), root: parsed };
}

/** Profiles active without a command-line switch: `activeByDefault`, or a file that exists (or is missing) in the module. */
function activeProfiles(pom: XmlElement, exists: (relative: string) => boolean): XmlElement[] {
  return children(child(pom, 'profiles'), 'profile').filter((profile) => {
    const activation = child(profile, 'activation');
    if (textAt(activation, 'activeByDefault') === 'true') return true;
    const present = textAt(activation, 'file', 'exists');
    const missing = textAt(activation, 'file', 'missing');
    return (present !== null && exists(present)) || (missing !== null && !exists(missing));
  });
}

/** `${…}` values: the POM's own properties over its parent's, and the project coordinates. */
function propertiesOf(root: XmlElement, parent: XmlElement | null): Map<string, string> {
  const properties = new Map<string, string>();
  for (const pom of [parent, root]) {
    for (const property of child(pom, 'properties')?.children ?? []) properties.set(property.name, property.text);
  }
  const coordinates: Array<[string, string | null]> = [
    ['project.groupId', textAt(root, 'groupId') ?? textAt(root, 'parent', 'groupId')],
    ['project.artifactId', textAt(root, 'artifactId')],
    ['project.version', textAt(root, 'version') ?? textAt(root, 'parent', 'version')],
    ['project.parent.groupId', textAt(root, 'parent', 'groupId')],
    ['project.parent.artifactId', textAt(root, 'parent', 'artifactId')],
  ];
  for (const [key, value] of coordinates) if (value !== null) properties.set(key, value);
  return properties;
}

function isRunnable(plugin: XmlElement): boolean {
  const artifact = textAt(plugin, 'artifactId') ?? '';
  const configuration = child(plugin, 'configuration');
  if (RUNNABLE_PLUGINS.has(artifact)) return textAt(configuration, 'skip') !== 'true';
  // A jar, shade or assembly plugin that writes a Main-Class into the manifest.
  if (textAt(configuration, 'archive', 'manifest', 'mainClass')) return true;
  const executions = children(child(plugin, 'executions'), 'execution');
  return executions.some((execution) => {
    const transformers = children(child(child(execution, 'configuration'), 'transformers'), 'transformer');
    return transformers.some((transformer) => Boolean(textAt(transformer, 'mainClass')));
  });
}

/** Image names a plugin builds: Jib `<to><image>`, Spring Boot `<image><name>`, dockerfile-maven `<repository>`, fabric8 `<images>`. */
function imagesOf(plugin: XmlElement): string[] {
  const configuration = child(plugin, 'configuration');
  if (!configuration) return [];
  const names = [
    textAt(configuration, 'to', 'image'),
    textAt(configuration, 'image', 'name'),
    textAt(configuration, 'repository'),
    ...children(child(configuration, 'images'), 'image').map((image) => textAt(image, 'name')),
  ];
  return names.filter((name): name is string => Boolean(name));
}
