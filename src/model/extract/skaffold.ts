/**
 * skaffold.yaml: each build artifact (in the main config and in profiles) is a deployment unit with the image
 * it builds and where from — a Docker build (context and Dockerfile, the default builder) or Jib, Buildpacks,
 * ko, Bazel or a custom script (context as the source folder). What skaffold then deploys (manifests, Helm
 * releases, kustomizations) is read by the extractors of those formats.
 */
import type { DeploymentUnit } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { deploymentUnit, folderOf, inRepo } from './deployment-unit.js';
import { asMap, readYamlDocuments, text, type Json, type JsonMap } from './yaml-values.js';

/** Builders that build from the source folder without a Dockerfile. */
const SOURCE_BUILDERS = ['jib', 'buildpacks', 'ko', 'bazel', 'custom'];

export default defineExtractor({
  id: 'skaffold',
  description: 'skaffold.yaml: build artifacts (image, context, Dockerfile or Jib/Buildpacks/ko) as deployment units',
  accepts: (file) => /^skaffold(\.[\w-]+)?\.ya?ml$/.test(file.lower),
  needles: ['skaffold/'],
  extract({ path, text: source }) {
    const dir = folderOf(path);
    const units = new Map<string, DeploymentUnit>();
    for (const doc of readYamlDocuments(path, source)) {
      const config = asMap(doc.value);
      if (!text(config.apiVersion)?.startsWith('skaffold/')) continue;
      const lineOf = (keys: Array<string | number>): number => doc.lineOf(keys) ?? 1;
      const builds: Array<{ build: Json | undefined; keys: Array<string | number> }> = [{ build: config.build, keys: ['build'] }];
      const profiles = Array.isArray(config.profiles) ? config.profiles : [];
      profiles.forEach((p, k) => builds.push({ build: asMap(p).build, keys: ['profiles', k, 'build'] }));
      for (const { build, keys } of builds) {
        const artifacts = asMap(build).artifacts;
        (Array.isArray(artifacts) ? artifacts : []).forEach((a, k) => {
          const artifact = asMap(a);
          const image = text(artifact.image);
          if (!image || units.has(image)) return;
          units.set(image, artifactUnit(artifact, image, dir, { file: path, line: lineOf([...keys, 'artifacts', k, 'image']) }));
        });
      }
    }
    if (units.size === 0) return null;
    const out: ExtractResult = { deployments: [...units.values()] };
    return out;
  },
});

function artifactUnit(artifact: JsonMap, image: string, dir: string, location: DeploymentUnit['location']): DeploymentUnit {
  const context = inRepo(dir, text(artifact.context) ?? '.');
  const fromSource = SOURCE_BUILDERS.some((b) => artifact[b] !== undefined);
  // Jib in a multi-module build names the module under the context (`context: ../../..`, `jib.project: src/x`);
  // a Maven `groupId:artifactId` names no folder.
  const project = text(asMap(artifact.jib).project);
  const module = project && context !== null && !project.includes(':') ? inRepo(context, project) : null;
  const dockerfile = fromSource || context === null ? null : inRepo(context, text(asMap(artifact.docker).dockerfile) ?? 'Dockerfile');
  const name = image.slice(image.lastIndexOf('/') + 1).split(/[:@]/)[0]!;
  return deploymentUnit('skaffold', name, location, {
    images: [image],
    build: context === null ? null : { context, dockerfile },
    sourceDir: fromSource ? (module ?? context) : null,
  });
}
