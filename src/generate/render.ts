/**
 * Renders a template set (`templates/<set>/common` plus overlays) into the tree.
 *
 * - `.hbs` files are rendered and lose the suffix; other files are copied as-is.
 * - `__key__` in a path is replaced by `data[key]` (a string).
 * - Dotfiles are stored under `_name` (npm would drop or act on `.gitignore`
 *   inside a package) and renamed on write through `DOTFILES`.
 * - Handlebars is an isolated instance with `noEscape` (HTML escaping is not
 *   code escaping) and `strict` (a misspelled variable throws). Free text goes
 *   through the context helpers of `helpers.ts`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { comment, identifier, json, mdText, tsString, yamlString } from './helpers.js';
import { PACKAGE_ROOT } from './self.js';
import { imageTag, packageVersion } from './versions.js';
import type { Tree } from './tree.js';
import { requireWithCodeCache } from '../util/code-cache.js';

/** The package's `templates/` folder. */
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

/**
 * Templates precompiled by `build.mjs`, one file per template set, keyed by path under
 * `templates/`, each with the hash of the source it was compiled from. A
 * template whose source changed since (or that is missing) is compiled on the
 * spot, so a stale build can never render old text; the Handlebars compiler
 * (~40 ms to load) is loaded only then.
 */
export const PRECOMPILED_DIR = path.join(PACKAGE_ROOT, 'dist', 'templates.precompiled');

/** Options every template is compiled with: no HTML escaping, misspelled variables throw. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

const DOTFILES: Readonly<Record<string, string>> = {
  _gitignore: '.gitignore',
  _dockerignore: '.dockerignore',
  '_env.example': '.env.example',
  _env: '.env',
  _npmrc: '.npmrc',
  _github: '.github',
  _nvmrc: '.nvmrc',
};

export type TemplateData = Record<string, unknown>;

type Spec = object;
type Delegate = (data: unknown) => string;
interface Runtime {
  template(spec: Spec): Delegate;
  registerHelper(name: string, fn: (...args: never[]) => unknown): void;
  registerPartial(name: string, partial: Delegate): void;
}

const require = createRequire(import.meta.url);

/**
 * FNV-1a (two 32-bit lanes) of a template source: a change detector, not a security
 * measure, and cheaper than loading node:crypto at start-up.
 */
export function sourceHash(source: string): string {
  // Two 32-bit FNV-1a lanes with different offsets: 64 bits, with Math.imul instead of BigInt.
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

type Precompiled = Record<string, { hash: string; spec: Spec }>;
const precompiledSets = new Map<string, Precompiled>();
let runtime: Runtime | undefined;

/** The precompiled templates of one set (`service`, `compose`, …), compiled from a V8 code cache after the first run. */
function precompiledSet(set: string): Precompiled {
  let loaded = precompiledSets.get(set);
  if (!loaded) {
    const file = path.join(PRECOMPILED_DIR, `${set}.cjs`);
    try {
      loaded = requireWithCodeCache<Precompiled>(import.meta.url, file, () => [file]);
    } catch {
      loaded = {};
    }
    precompiledSets.set(set, loaded);
  }
  return loaded;
}

function specFor(file: string, source: string): Spec {
  const precompiled = precompiledSet(file.split('/')[0]!);
  const entry = precompiled[file];
  if (entry && entry.hash === sourceHash(source)) return entry.spec;
  const compiler = require('handlebars') as { precompile(source: string, options: object): string };
  return new Function(`return ${compiler.precompile(source, COMPILE_OPTIONS)};`)() as Spec;
}

function handlebars(): Runtime {
  if (runtime) return runtime;
  // An isolated environment: nothing is registered globally.
  const hb = (HandlebarsRuntime as unknown as { create(): Runtime }).create();
  const plain = (fn: (v: unknown) => string) => (value: unknown) => fn(value);
  hb.registerHelper('tsString', plain(tsString));
  hb.registerHelper('yamlString', plain(yamlString));
  hb.registerHelper('json', plain(json));
  hb.registerHelper('comment', plain(comment));
  hb.registerHelper('mdText', plain(mdText));
  hb.registerHelper('identifier', plain(identifier));
  hb.registerHelper('version', (name: unknown) => packageVersion(String(name)));
  hb.registerHelper('image', (name: unknown) => imageTag(String(name)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  runtime = hb;
  const partials = path.join(TEMPLATES_DIR, '_partials');
  for (const file of safeReaddir(partials)) {
    if (!file.endsWith('.hbs')) continue;
    const source = readFileSync(path.join(partials, file), 'utf8');
    hb.registerPartial(file.slice(0, -4), hb.template(specFor(`_partials/${file}`, source)));
  }
  return hb;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of safeReaddir(dir)) {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) out.push(...walk(full, rel));
    else out.push(rel);
  }
  return out;
}

function targetPath(rel: string, data: TemplateData): string {
  return rel
    .split('/')
    .map((segment) => {
      let out = DOTFILES[segment.replace(/\.hbs$/, '')] ?? segment.replace(/\.hbs$/, '');
      out = out.replace(/__([a-zA-Z]+)__/g, (_m, key: string) => {
        const value = data[key];
        if (typeof value !== 'string' || value === '') throw new Error(`template path ${rel} needs data.${key}`);
        return value;
      });
      return out;
    })
    .join('/');
}

const compiled = new Map<string, Delegate>();

/** Renders one template file (path under `templates/`), e.g. a fragment merged by an editor. */
export function renderTemplateFile(file: string, data: TemplateData): string {
  let template = compiled.get(file);
  if (!template) {
    const hb = handlebars();
    template = hb.template(specFor(file, readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')));
    compiled.set(file, template);
  }
  try {
    return template(data);
  } catch (error) {
    throw new Error(`template ${file}: ${(error as Error).message}`);
  }
}

export interface RenderOptions {
  /** Overlay folders applied after `common/`, later ones winning. */
  overlays?: readonly string[];
  /**
   * Output paths (relative to the target) that the user owns once they
   * exist, such as a handler stub to fill in or an event contract to extend:
   * written when missing, never compared or replaced afterwards.
   */
  once?: readonly string[];
  /** Only these output paths (relative to the target): one file of a set restored on its own. */
  only?: readonly string[];
}

/**
 * Renders `templates/<set>/common` and the overlays into `tree` under `target`.
 * Returns the tree paths written.
 */
export function renderSet(tree: Tree, set: string, target: string, data: TemplateData, options: RenderOptions = {}): string[] {
  const layers = ['common', ...(options.overlays ?? [])];
  const files = new Map<string, { source: string; rendered: boolean }>();
  for (const layer of layers) {
    const dir = path.join(TEMPLATES_DIR, set, layer);
    for (const rel of walk(dir)) {
      const dest = targetPath(rel, data);
      files.set(dest, { source: `${set}/${layer}/${rel}`, rendered: rel.endsWith('.hbs') });
    }
  }
  const written: string[] = [];
  for (const [dest, { source, rendered }] of files) {
    const treePath = target === '.' || target === '' ? dest : `${target}/${dest}`;
    if (options.once?.includes(dest) && tree.exists(treePath)) continue;
    if (options.only && !options.only.includes(dest)) continue;
    const full = path.join(TEMPLATES_DIR, source);
    const content = rendered ? renderTemplateFile(source, data) : readFileSync(full, 'utf8');
    const executable = (statSync(full).mode & 0o111) !== 0;
    tree.write(treePath, content, executable ? { mode: 0o755 } : {});
    written.push(treePath);
  }
  return written;
}
