/**
 * Docker Buildx bake files (docker-bake.hcl / .json, docker-bake.override.*): each target that others do not
 * merely inherit from is a deployment unit with the images it tags and its build context and Dockerfile
 * (inherited values followed). Variables (`${TAG}`) are kept as written.
 */
import type { DeploymentUnit } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { deploymentUnit, folderOf, inRepo } from './deployment-unit.js';
import { attribute, blocks, listTexts, parseHcl, scalarText, type HclBody } from './hcl.js';
import { elements, entries, member, parseJsonc, scalar } from './jsonc.js';

interface Target {
  name: string;
  context: string | null;
  dockerfile: string | null;
  tags: string[];
  inherits: string[];
  line: number;
}

export default defineExtractor({
  id: 'docker-bake',
  description: 'docker buildx bake files: targets (tags, context, Dockerfile) as deployment units',
  accepts: (file) => file.lower.startsWith('docker-bake') && (file.ext === '.hcl' || file.ext === '.json'),
  needles: ['target'],
  extract({ path, text }) {
    let targets: Target[];
    try {
      targets = path.toLowerCase().endsWith('.json') ? jsonTargets(text) : hclTargets(parseHcl(text));
    } catch (error) {
      return { diagnostics: [{ file: path, line: (error as { line?: number }).line ?? 1, message: `cannot parse the bake file: ${(error as Error).message}` }] };
    }
    const byName = new Map(targets.map((t) => [t.name, t]));
    const bases = new Set(targets.flatMap((t) => t.inherits));
    const dir = folderOf(path);
    const deployments: DeploymentUnit[] = [];
    for (const target of targets) {
      const resolved = inherit(target, byName);
      if (bases.has(target.name) && resolved.tags.length === 0) continue;
      const context = resolved.context ?? '.';
      // A context that is another target, an image or a URL is not a folder of the repository.
      const folder = context.includes('://') || context.includes(':') ? null : inRepo(dir, context);
      const dockerfile = folder === null ? null : inRepo(folder, resolved.dockerfile ?? 'Dockerfile');
      deployments.push(deploymentUnit('other', target.name, { file: path, line: target.line }, { images: resolved.tags, build: folder === null ? null : { context: folder, dockerfile } }));
    }
    if (deployments.length === 0) return null;
    const out: ExtractResult = { deployments };
    return out;
  },
});

/** A target with what it inherits filled in (its own values win; cycles and depth bounded). */
function inherit(target: Target, byName: ReadonlyMap<string, Target>, depth = 0): Target {
  if (depth > 10) return target;
  let out = target;
  for (const parentName of target.inherits) {
    const parent = byName.get(parentName);
    if (!parent || parent === target) continue;
    const base = inherit(parent, byName, depth + 1);
    out = { ...out, context: out.context ?? base.context, dockerfile: out.dockerfile ?? base.dockerfile, tags: out.tags.length > 0 ? out.tags : base.tags };
  }
  return out;
}

function hclTargets(body: HclBody): Target[] {
  return blocks(body, 'target').map((block) => ({
    name: block.labels[0] ?? 'default',
    context: scalarText(attribute(block.body, 'context')?.value),
    dockerfile: scalarText(attribute(block.body, 'dockerfile')?.value),
    tags: listTexts(attribute(block.body, 'tags')?.value).map((t) => t.text),
    inherits: listTexts(attribute(block.body, 'inherits')?.value).map((t) => t.text),
    line: block.line,
  }));
}

function jsonTargets(text: string): Target[] {
  const doc = parseJsonc(text);
  if (doc.error) throw Object.assign(new Error(doc.error.message), { line: doc.error.line });
  return entries(member(doc.root, 'target')).map(([name, node, key]) => ({
    name,
    context: scalar(member(node, 'context')),
    dockerfile: scalar(member(node, 'dockerfile')),
    tags: elements(member(node, 'tags')).map(scalar).filter((t): t is string => t !== null),
    inherits: elements(member(node, 'inherits')).map(scalar).filter((t): t is string => t !== null),
    line: doc.lineAt(key.offset),
  }));
}
