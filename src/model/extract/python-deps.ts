/**
 * Python dependency manifests: requirements*.txt (with `-r` includes), pyproject.toml (PEP 621, PEP 735 groups,
 * Poetry, PDM, uv), Pipfile and setup.cfg. Names are normalised as PEP 503 says; development and test groups are
 * `test` scope, so that a test-only library says nothing about what runs.
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { BuildUnit, Dependency } from '../facts.js';
import type { Diagnostic } from '../types.js';
import { defineExtractor, type ExtractContext, type ExtractResult } from './define-extractor.js';

type Scope = Dependency['scope'];

/** PEP 503: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normaliseName(name: string): string {
  let out = '';
  let run = false;
  for (const c of name.toLowerCase()) {
    if (c === '-' || c === '_' || c === '.') {
      if (!run) out += '-';
      run = true;
    } else {
      out += c;
      run = false;
    }
  }
  return out;
}

const isNameChar = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_' || c === '.';

/** The project a PEP 508 requirement names (`fastapi[all]>=0.110; python_version>"3.8"` → `fastapi`), or null. */
export function requirementName(requirement: string): string | null {
  const text = requirement.trim();
  const egg = text.indexOf('#egg=');
  if (egg !== -1) return requirementName(text.slice(egg + 5));
  let end = 0;
  while (end < text.length && isNameChar(text[end]!)) end += 1;
  if (end === 0) return null;
  const rest = text.slice(end).trimStart();
  if (rest.startsWith('://') || rest.startsWith(':')) return null;
  return normaliseName(text.slice(0, end));
}

const TEST_WORDS: ReadonlySet<string> = new Set(['test', 'tests', 'testing', 'dev', 'devel', 'develop', 'development', 'lint', 'linting', 'linters', 'doc', 'docs', 'typing', 'types', 'mypy', 'check', 'checks', 'style', 'ci', 'tox', 'debug', 'qa']);

/** The scope a group or file name says: `dev`, `test`, `requirements-lint.txt` → test; `build` → build; else runtime. */
export function scopeOfName(name: string): Scope {
  const words = name.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '' && w !== 'requirements' && w !== 'txt');
  if (words.some((w) => w === 'build')) return 'build';
  return words.some((w) => TEST_WORDS.has(w)) ? 'test' : 'runtime';
}

/** 1-based lines of offsets in one text, by binary search over its line starts (linear in the text overall). */
class Lines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(index: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** Where `needle` is written (its first occurrence after `from`); `fallback` when it is not. */
  of(needle: string, from: number, fallback: number): number {
    const index = this.text.indexOf(needle, from);
    return index === -1 ? fallback : this.at(index);
  }
}

function unitOf(kind: BuildUnit['kind'], dir: string, name: string | null, executable: boolean | null, file: string, line = 1): BuildUnit {
  return { kind, dir, name, executable, parent: null, modules: [], references: [], images: [], location: { file, line } };
}

/** requirements*.txt lines, following `-r`/`--requirement` includes (relative to the including file) once each. */
function requirements(file: string, text: string, scope: Scope, ctx: ExtractContext, seen: Set<string>, out: Dependency[], depth = 0): void {
  seen.add(file);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i]!;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) line = line.trimEnd().slice(0, -1) + lines[++i]!;
    const hash = line.search(/(^|\s)#/);
    const content = (hash === -1 ? line : line.slice(0, hash)).trim();
    if (content === '') continue;
    if (content.startsWith('-')) {
      const [option, ...rest] = content.split(/[\s=]+/);
      if ((option === '-r' || option === '--requirement') && rest[0] && depth < 5) {
        const included = path.posix.normalize(path.posix.join(path.posix.dirname(file), rest[0]));
        if (included.startsWith('../') || seen.has(included)) continue;
        const body = ctx.read(included);
        if (body !== null) requirements(included, body, scope, ctx, seen, out, depth + 1);
      }
      continue;
    }
    const name = requirementName(content);
    if (name) out.push({ ecosystem: 'pypi', name, scope, location: { file, line: first } });
  }
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function pyproject(file: string, text: string, doc: Table): ExtractResult {
  const dependencies: Dependency[] = [];
  const lines = new Lines(text);
  const add = (names: Iterable<[string, Scope]>, section: string): void => {
    const from = Math.max(0, text.indexOf(section));
    const fallback = lines.at(from);
    for (const [requirement, scope] of names) {
      const name = requirementName(requirement);
      if (name && name !== 'python') dependencies.push({ ecosystem: 'pypi', name, scope, location: { file, line: lines.of(requirement, from, fallback) } });
    }
  };
  const project = table(doc.project);
  add(strings(project?.dependencies).map((r) => [r, 'runtime']), 'dependencies');
  for (const [group, list] of Object.entries(table(project?.['optional-dependencies']) ?? {})) add(strings(list).map((r) => [r, scopeOfName(group)]), 'optional-dependencies');
  for (const [group, list] of Object.entries(table(doc['dependency-groups']) ?? {})) add(strings(list).map((r) => [r, scopeOfName(group) === 'runtime' ? 'test' : scopeOfName(group)]), 'dependency-groups');
  const tool = table(doc.tool);
  const poetry = table(tool?.poetry);
  add(Object.keys(table(poetry?.dependencies) ?? {}).map((n) => [n, 'runtime']), '[tool.poetry.dependencies]');
  add(Object.keys(table(poetry?.['dev-dependencies']) ?? {}).map((n) => [n, 'test']), 'dev-dependencies');
  for (const [group, body] of Object.entries(table(poetry?.group) ?? {})) {
    add(Object.keys(table(table(body)?.dependencies) ?? {}).map((n) => [n, group === 'main' ? 'runtime' : scopeOfName(group) === 'build' ? 'build' : 'test']), `[tool.poetry.group.${group}`);
  }
  for (const [group, list] of Object.entries(table(table(tool?.pdm)?.['dev-dependencies']) ?? {})) add(strings(list).map((r) => [r, scopeOfName(group) === 'build' ? 'build' : 'test']), 'dev-dependencies');
  add(strings(table(tool?.uv)?.['dev-dependencies']).map((r) => [r, 'test']), 'dev-dependencies');
  add(strings(table(doc['build-system'])?.requires).map((r) => [r, 'build']), 'requires');

  const name = typeof project?.name === 'string' ? project.name : typeof poetry?.name === 'string' ? poetry.name : null;
  const scripts = table(project?.scripts) ?? table(poetry?.scripts);
  const executable = scripts && Object.keys(scripts).length > 0 ? true : null;
  const result: ExtractResult = { unit: unitOf('python', path.posix.dirname(file), name, executable, file) };
  if (dependencies.length > 0) result.dependencies = dependencies;
  return result;
}

function pipfile(file: string, text: string, doc: Table): ExtractResult {
  const dependencies: Dependency[] = [];
  const lines = new Lines(text);
  for (const [section, scope] of [['packages', 'runtime'], ['dev-packages', 'test']] as const) {
    const from = Math.max(0, text.indexOf(`[${section}]`));
    for (const name of Object.keys(table(doc[section]) ?? {})) {
      dependencies.push({ ecosystem: 'pypi', name: normaliseName(name), scope, location: { file, line: lines.of(name, from, lines.at(from)) } });
    }
  }
  const result: ExtractResult = { unit: unitOf('python', path.posix.dirname(file), null, null, file) };
  if (dependencies.length > 0) result.dependencies = dependencies;
  return result;
}

/** setup.cfg: `[metadata] name`, `[options] install_requires`, `[options.extras_require]`, `[options.entry_points]`. */
function setupCfg(file: string, text: string): ExtractResult {
  const dependencies: Dependency[] = [];
  let section = '';
  let key = '';
  let name: string | null = null;
  let scripts = false;
  const lines = text.split('\n');
  const value = (raw: string, line: number): void => {
    const content = raw.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) return;
    if (section === 'metadata' && key === 'name') name = content;
    else if (section === 'options.entry_points' && key === 'console_scripts') scripts = true;
    else if ((section === 'options' && key === 'install_requires') || section === 'options.extras_require') {
      const requirement = requirementName(content);
      const scope = section === 'options' ? 'runtime' : scopeOfName(key);
      if (requirement) dependencies.push({ ecosystem: 'pypi', name: requirement, scope, location: { file, line } });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = trimmed.slice(1, -1).trim().toLowerCase();
      key = '';
    } else if (raw.length > 0 && raw[0] !== ' ' && raw[0] !== '\t' && (raw.includes('=') || raw.includes(':'))) {
      const at = [raw.indexOf('='), raw.indexOf(':')].filter((n) => n > 0).sort((a, b) => a - b)[0]!;
      key = raw.slice(0, at).trim().toLowerCase().replace(/-/g, '_');
      value(raw.slice(at + 1), i + 1);
    } else if (key !== '') value(raw, i + 1);
  }
  const result: ExtractResult = { unit: unitOf('python', path.posix.dirname(file), name, scripts ? true : null, file) };
  if (dependencies.length > 0) result.dependencies = dependencies;
  return result;
}

const isRequirementsFile = (lowerPath: string, lower: string): boolean =>
  lower.endsWith('.txt') && (lower.includes('requirements') || lowerPath.includes('/requirements/') || lowerPath.startsWith('requirements/'));

export default defineExtractor({
  id: 'python-deps',
  description: 'Python manifests: requirements*.txt (with -r includes), pyproject.toml (PEP 621, Poetry, PDM, uv), Pipfile, setup.cfg',
  accepts: (file) => file.base === 'pyproject.toml' || file.base === 'Pipfile' || file.base === 'setup.cfg' || isRequirementsFile(file.path.toLowerCase(), file.lower),
  extract: ({ path: file, text }, ctx) => {
    const base = path.posix.basename(file);
    if (base === 'setup.cfg') return setupCfg(file, text);
    if (base === 'pyproject.toml' || base === 'Pipfile') {
      let doc: Table;
      try {
        doc = parseToml(text) as Table;
      } catch (error) {
        const diagnostic: Diagnostic = { file, message: `cannot parse ${base}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
        return { diagnostics: [diagnostic] };
      }
      return base === 'Pipfile' ? pipfile(file, text, doc) : pyproject(file, text, doc);
    }
    const parent = path.posix.basename(path.posix.dirname(file)).toLowerCase();
    const scope = scopeOfName(base) === 'runtime' && TEST_WORDS.has(parent) ? 'test' : scopeOfName(base);
    const dependencies: Dependency[] = [];
    requirements(file, text, scope, ctx, new Set(), dependencies);
    const folder = path.posix.dirname(file);
    const dir = path.posix.basename(folder) === 'requirements' ? path.posix.dirname(folder) : folder;
    const result: ExtractResult = {};
    if (scope === 'runtime') result.unit = unitOf('python', dir, null, null, file);
    if (dependencies.length > 0) result.dependencies = dependencies;
    return result;
  },
});
