/**
 * Spring configuration files (`.yml`/`.yaml` and `.properties`) as flat entries: dotted keys (`a.b[0].c`),
 * values as written, the 1-based line of each, and the profile of the document that holds it (the file name's
 * profile, or the document's `spring.config.activate.on-profile` / `spring.profiles`).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';

export interface ConfigEntry {
  key: string;
  value: string;
  line: number;
  profile: string | null;
}

export interface SpringConfig {
  entries: ConfigEntry[];
  /** The first syntax error, one line, when the file could not be read whole. */
  error: { message: string; line: number } | null;
}

/** Reads a `.properties` or YAML Spring configuration file; `profile` is the file name's. */
export function readSpringConfig(path: string, text: string, profile: string | null): SpringConfig {
  const documents = path.endsWith('.properties') ? readProperties(text) : readYaml(text);
  const entries: ConfigEntry[] = [];
  for (const document of documents.documents) {
    const own = document.find((e) => e.key === 'spring.config.activate.on-profile' || e.key === 'spring.profiles' || e.key === 'spring.profiles[0]');
    const documentProfile = own ? own.value.trim() || null : profile;
    for (const entry of document) entries.push({ ...entry, profile: documentProfile });
  }
  return { entries, error: documents.error };
}

type Raw = Omit<ConfigEntry, 'profile'>;

function readYaml(text: string): { documents: Raw[][]; error: SpringConfig['error'] } {
  const lineCounter = new LineCounter();
  const documents: Raw[][] = [];
  let error: SpringConfig['error'] = null;
  for (const document of parseAllDocuments(text, { lineCounter, uniqueKeys: false })) {
    const first = document.errors[0];
    if (first && !error) error = { message: first.message.split('\n')[0]!, line: lineCounter.linePos(first.pos[0]).line };
    const out: Raw[] = [];
    flatten(document.contents, '', null, out, lineCounter);
    documents.push(out);
  }
  return { documents, error };
}

/** Leaves of a YAML tree, depth first; iterative so that a deeply nested file cannot overflow the stack. */
function flatten(root: Node | null, rootKey: string, rootLine: number | null, out: Raw[], lines: LineCounter): void {
  const stack: Array<[Node | null, string, number | null]> = [[root, rootKey, rootLine]];
  const leaves: Raw[] = [];
  while (stack.length > 0) {
    const [node, key, keyLine] = stack.pop()!;
    const line = keyLine ?? (node?.range ? lines.linePos(node.range[0]).line : 1);
    if (isMap(node)) {
      const items = [...node.items].reverse();
      for (const pair of items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        if (name === '<<') continue;
        const pairLine = pair.key.range ? lines.linePos(pair.key.range[0]).line : line;
        stack.push([pair.value as Node | null, key === '' ? name : `${key}.${name}`, pairLine]);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as Node | null;
        stack.push([item, `${key}[${i}]`, item?.range ? lines.linePos(item.range[0]).line : line]);
      }
    } else if (key !== '') {
      const value = isScalar(node) ? (node.value === null ? '' : String(node.value)) : node ? String(node) : '';
      leaves.push({ key, value, line });
    }
  }
  out.push(...leaves);
}

/** Java `.properties`: `key=value`, `key: value` or `key value`, `#`/`!` comments, `\` continuations, `#---` document separators. */
function readProperties(text: string): { documents: Raw[][]; error: null } {
  const documents: Raw[][] = [[]];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trimStart();
    if (line === '#---' || line === '!---') {
      documents.push([]);
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trimStart();
    const [key, value] = splitProperty(line);
    if (key !== '') documents.at(-1)!.push({ key, value, line: start + 1 });
  }
  return { documents, error: null };
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function splitProperty(line: string): [string, string] {
  let key = '';
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      key += line[++i];
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t') break;
    key += c;
  }
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (line[i] === '=' || line[i] === ':') i++;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return [key, unescape(line.slice(i))];
}

function unescape(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\' || i + 1 === value.length) {
      out += c;
      continue;
    }
    const next = value[++i]!;
    out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
  }
  return out;
}
