/**
 * Kustomizations (kustomization.yaml / .yml / Kustomization): what they do to the manifests they list — image
 * renames, name prefix and suffix, namespace, replica overrides — and which files are patches. A
 * kustomization deploys nothing of its own: the pipeline applies these facts to the Kubernetes objects of its
 * `resources`, and an overlay that only patches a base adds no workload.
 */
import type { Kustomization } from '../facts.js';
import { defineExtractor } from './define-extractor.js';
import { folderOf, inRepo } from './deployment-unit.js';
import { asMap, readYamlFile, text, type Json } from './yaml-values.js';

/** A reference kustomize fetches from elsewhere (a git URL, a remote base). */
const remote = (ref: string): boolean => ref.includes('://') || ref.startsWith('github.com/') || ref.includes('?ref=') || ref.startsWith('git@');

export default defineExtractor({
  id: 'kustomize',
  description: 'kustomizations: resources, patches, image renames, name prefix/suffix, namespace and replica overrides',
  accepts: (file) => file.base === 'kustomization.yaml' || file.base === 'kustomization.yml' || file.base === 'Kustomization',
  extract({ path, text: source }) {
    // A file that is not YAML is reported by the Kubernetes reader, which reads every YAML file.
    const doc = readYamlFile(path, source);
    if (!doc) return null;
    const k = asMap(doc.value);
    const dir = folderOf(path);
    const lineOf = (keys: Array<string | number>): number => doc.lineOf(keys) ?? 1;
    const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
    const local = (refs: Json[], field?: string): string[] =>
      refs.flatMap((r) => {
        const ref = typeof r === 'string' ? r : field ? text(asMap(r)[field]) : null;
        if (!ref || ref.includes('\n') || remote(ref)) return [];
        const resolved = inRepo(dir, ref);
        return resolved ? [resolved] : [];
      });
    const images: Kustomization['images'] = [];
    list(k.images).forEach((item, i) => {
      const image = asMap(item);
      const name = text(image.name);
      if (name) images.push({ name, newName: text(image.newName), newTag: text(image.newTag), digest: text(image.digest), location: { file: path, line: lineOf(['images', i]) } });
    });
    const replicas: Kustomization['replicas'] = [];
    list(k.replicas).forEach((item, i) => {
      const entry = asMap(item);
      const name = text(entry.name);
      if (name && typeof entry.count === 'number') replicas.push({ name, count: entry.count, location: { file: path, line: lineOf(['replicas', i]) } });
    });
    const kustomization: Kustomization = {
      dir,
      resources: local([...list(k.resources), ...list(k.bases)]),
      components: local(list(k.components)),
      patches: [...local(list(k.patches), 'path'), ...local(list(k.patchesStrategicMerge)), ...local(list(k.patchesJson6902), 'path')],
      images,
      namePrefix: text(k.namePrefix),
      nameSuffix: text(k.nameSuffix),
      namespace: text(k.namespace),
      replicas,
      location: { file: path, line: 1 },
    };
    return { kustomization };
  },
});
