/**
 * .NET build manifests: `*.csproj` / `*.fsproj` / `*.vbproj` (a BuildUnit and its PackageReferences),
 * `Directory.Build.props` / `Directory.Build.targets` (PackageReferences every project under that folder gets:
 * dependencies without a unit, which the link step applies to the projects below), `Directory.Packages.props`
 * (central versions declare nothing; `GlobalPackageReference` applies to every project) and `packages.config`.
 */
import { posix } from 'node:path';
import type { BuildUnit, Dependency } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { attribute, childrenNamed, descendantsNamed, parseXml, type XmlElement } from './xml.js';

const PROJECT = new Set(['.csproj', '.fsproj', '.vbproj']);
const PROPS = new Set(['directory.build.props', 'directory.build.targets', 'directory.packages.props', 'packages.config']);
/** SDKs whose projects run on their own (web apps, workers, functions, an Aspire app host, a Blazor WebAssembly app). */
const EXECUTABLE_SDKS = ['microsoft.net.sdk.web', 'microsoft.net.sdk.worker', 'microsoft.net.sdk.blazorwebassembly', 'microsoft.net.sdk.functions', 'aspire.apphost.sdk'];
const TEST_PACKAGES = new Set(['microsoft.net.test.sdk', 'xunit', 'xunit.v3', 'nunit', 'mstest.testframework', 'mstest']);

export default defineExtractor({
  id: 'dotnet-project',
  description: '.NET projects (csproj/fsproj/vbproj), Directory.Build.props, Directory.Packages.props, packages.config: build unit, package references',
  accepts: (file) => PROJECT.has(file.ext) || PROPS.has(file.lower),
  extract({ path, text }) {
    const { root, error } = parseXml(text);
    const out: ExtractResult = {};
    if (error) out.diagnostics = [{ file: path, line: error.line, message: `cannot parse ${posix.basename(path)}: ${error.message}` }];
    if (!root) return out;
    const base = posix.basename(path).toLowerCase();
    if (base === 'packages.config') {
      out.dependencies = childrenNamed(root, 'package').flatMap((p) => {
        const id = attribute(p, 'id');
        return id ? [dependency(id, attribute(p, 'developmentDependency') === 'true' ? 'build' : 'runtime', path, p.line)] : [];
      });
      return out;
    }
    const properties = propertiesOf(root);
    const references = items(root);
    const test = properties.get('istestproject')?.toLowerCase() === 'true' || references.packages.some((p) => TEST_PACKAGES.has(p.include.toLowerCase()));
    out.dependencies = [
      ...references.packages.map((p) => dependency(p.include, test ? 'test' : buildOnly(p.element) ? 'build' : 'runtime', path, p.element.line)),
      ...references.frameworks.map((f) => dependency(f.include, test ? 'test' : 'runtime', path, f.element.line)),
    ];
    if (!PROJECT.has(posix.extname(base))) return out;
    const dir = posix.dirname(path);
    const fileName = posix.basename(path).replace(/\.[^.]+$/, '');
    const assemblyName = properties.get('assemblyname');
    const outputType = properties.get('outputtype')?.toLowerCase();
    const sdks = sdksOf(root);
    const unit: BuildUnit = {
      kind: 'dotnet',
      dir,
      name: assemblyName && !assemblyName.includes('$(') ? assemblyName : fileName,
      executable: !test && (outputType === 'exe' || outputType === 'winexe' || sdks.some((sdk) => EXECUTABLE_SDKS.includes(sdk))),
      parent: null,
      modules: [],
      references: [...new Set(references.projects.flatMap((p) => projectFolder(dir, p.include) ?? []))],
      images: images(properties),
      location: { file: path, line: root.line },
    };
    out.unit = unit;
    return out;
  },
});

function dependency(name: string, scope: Dependency['scope'], file: string, line: number): Dependency {
  return { ecosystem: 'nuget', name, scope, location: { file, line } };
}

/** Last value of each property (MSBuild: later definitions win), keys lower case. */
function propertiesOf(root: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of childrenNamed(root, 'PropertyGroup')) for (const property of group.children) out.set(property.name.toLowerCase(), property.text);
  return out;
}

interface Item {
  include: string;
  element: XmlElement;
}

function items(root: XmlElement): { packages: Item[]; frameworks: Item[]; projects: Item[] } {
  const packages: Item[] = [];
  const frameworks: Item[] = [];
  const projects: Item[] = [];
  for (const group of childrenNamed(root, 'ItemGroup')) {
    for (const element of group.children) {
      const include = attribute(element, 'Include')?.trim();
      if (!include) continue;
      const kind = element.name.toLowerCase();
      if (kind === 'packagereference' || kind === 'globalpackagereference') packages.push({ include, element });
      else if (kind === 'frameworkreference') frameworks.push({ include, element });
      else if (kind === 'projectreference') projects.push({ include, element });
    }
  }
  return { packages, frameworks, projects };
}

/** Analyzers and build tools: `PrivateAssets="all"` with no runtime assets, or a GlobalPackageReference (private by default). */
function buildOnly(element: XmlElement): boolean {
  if (element.name.toLowerCase() === 'globalpackagereference') return true;
  const value = (name: string): string => (attribute(element, name) ?? childrenNamed(element, name)[0]?.text ?? '').toLowerCase();
  const include = value('IncludeAssets');
  return value('PrivateAssets') === 'all' && (include === '' || !include.includes('runtime') && !include.includes('compile') && include !== 'all');
}

/** `<Project Sdk="A;B">`, `<Sdk Name="…"/>`, `<Import Sdk="…"/>`, lower case, versions (`Sdk/1.0`) dropped. */
function sdksOf(root: XmlElement): string[] {
  const names = [attribute(root, 'Sdk') ?? '', ...descendantsNamed(root, 'Sdk').map((s) => attribute(s, 'Name') ?? ''), ...descendantsNamed(root, 'Import').map((i) => attribute(i, 'Sdk') ?? '')];
  return names.flatMap((n) => n.split(';')).map((n) => n.split('/')[0]!.trim().toLowerCase()).filter((n) => n !== '');
}

/** The folder of a referenced project, relative to the root; null when it cannot be resolved or leaves the root. */
function projectFolder(dir: string, include: string): string | null {
  const path = include.replaceAll('\\', '/').replace(/^\$\((MSBuildThisFileDirectory|MSBuildProjectDirectory)\)\/?/i, '');
  if (path.includes('$(') || posix.isAbsolute(path)) return null;
  const folder = posix.dirname(posix.normalize(posix.join(dir, path)));
  return folder === '..' || folder.startsWith('../') ? null : folder;
}

/** `ContainerRepository` (or the older `ContainerImageName`), with `ContainerImageTag` when set. */
function images(properties: ReadonlyMap<string, string>): string[] {
  const repository = properties.get('containerrepository') || properties.get('containerimagename');
  if (!repository) return [];
  const registry = properties.get('containerregistry');
  const tag = properties.get('containerimagetag');
  return [`${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}`];
}
