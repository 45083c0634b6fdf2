/**
 * .env reading and Compose-style `${VAR}` interpolation.
 *
 * Both are small hand-written scanners (no regex over the whole text), so
 * that nested defaults (`${A:-${B:-x}}`), multi-line quoted values and
 * escapes behave the way Docker Compose's own dotenv reader and interpolator
 * do. Nothing here reads the process environment: a scan gives the same
 * model on a laptop and in CI.
 */
import type { RepoReader } from '../read.js';

const isNameStart = (c: string | undefined): boolean => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_');
const isNameChar = (c: string | undefined): boolean => isNameStart(c) || (c !== undefined && c >= '0' && c <= '9');

/** Called with the name of each referenced variable that is unset and has no default (`:?`/`?` errors included). */
export type MissingVariable = (name: string) => void;

/**
 * Resolves `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` the way Compose does.
 * Defaults and alternatives may themselves hold `${…}`. An unknown variable
 * becomes the empty string (a `:?`/`?` error too: the scan never fails); a
 * `$` that starts no valid reference, or an unterminated `${`, stays as written.
 *
 * Hostile input: each `${…}` is read once (linear time however deep the
 * defaults nest), a `${` nested deeper than MAX_DEPTH stays as written, and
 * a result is cut at MAX_VALUE_LENGTH characters (a value that doubles a
 * variable on every line would otherwise reach gigabytes in a few lines).
 */
export function interpolate(value: string, env: Readonly<Record<string, string>>, onMissing?: MissingVariable): string {
  if (!value.includes('$')) return value;
  return interpolateFrom(value, 0, env, false, onMissing, 0).text;
}

/** `${…}` nested deeper than this stays as written. */
export const MAX_DEPTH = 64;
/** An interpolated value is cut at this length. */
export const MAX_VALUE_LENGTH = 64 * 1024;

function lookup(env: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
}

/** Interpolates `s` from `start`; with `inBraces`, stops before the `}` that closes the enclosing `${`. */
function interpolateFrom(s: string, start: number, env: Readonly<Record<string, string>>, inBraces: boolean, onMissing: MissingVariable | undefined, depth: number): { text: string; end: number; closed: boolean } {
  let out = '';
  // Past the cap, the rest is still read (to find where the reference ends) but no longer kept.
  const add = (text: string) => {
    if (out.length < MAX_VALUE_LENGTH) out += text;
  };
  const cut = () => (out.length > MAX_VALUE_LENGTH ? out.slice(0, MAX_VALUE_LENGTH) : out);
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (inBraces && c === '}') return { text: cut(), end: i, closed: true };
    if (c !== '$') {
      add(c);
      i += 1;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      add('$');
      i += 2;
    } else if (isNameStart(next)) {
      let j = i + 1;
      while (isNameChar(s[j])) j += 1;
      const name = s.slice(i + 1, j);
      const v = lookup(env, name);
      if (v === undefined) onMissing?.(name);
      add(v ?? '');
      i = j;
    } else if (next === '{') {
      const braced = parseBraced(s, i, env, onMissing, depth + 1);
      if (braced) {
        add(braced.text);
        i = braced.end;
      } else {
        add('$');
        i += 1;
      }
    } else {
      add('$');
      i += 1;
    }
  }
  return { text: cut(), end: i, closed: false };
}

/** Parses `${…}` starting at the `$` at `at`; null when it is not a valid reference. */
function parseBraced(s: string, at: number, env: Readonly<Record<string, string>>, onMissing: MissingVariable | undefined, depth: number): { text: string; end: number } | null {
  if (depth > MAX_DEPTH) return null;
  let j = at + 2;
  if (!isNameStart(s[j])) return null;
  while (isNameChar(s[j])) j += 1;
  const name = s.slice(at + 2, j);
  const v = lookup(env, name);
  if (s[j] === '}') {
    if (v === undefined) onMissing?.(name);
    return { text: v ?? '', end: j + 1 };
  }
  let colon = false;
  if (s[j] === ':') {
    colon = true;
    j += 1;
  }
  const op = s[j];
  if (op !== '-' && op !== '?' && op !== '+') return null;
  // The word is read once; the variables it misses are reported only where it is used (not for an unused default).
  const missing: string[] = [];
  const probe = interpolateFrom(s, j + 1, env, true, (n) => missing.push(n), depth);
  if (!probe.closed) return null;
  const word = () => {
    if (onMissing) for (const n of missing) onMissing(n);
    return probe.text;
  };
  const end = probe.end + 1;
  const unset = v === undefined;
  const unsetOrEmpty = unset || v === '';
  switch (op) {
    case '-':
      return { text: (colon ? unsetOrEmpty : unset) ? word() : v!, end };
    case '?':
      if (colon ? unsetOrEmpty : unset) {
        onMissing?.(name);
        return { text: '', end };
      }
      return { text: v!, end };
    default:
      return { text: (colon ? unsetOrEmpty : unset) ? '' : word(), end };
  }
}

const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$$' };

/**
 * Parses dotenv text: `KEY=value`, `export KEY=value`, `KEY: value`, blank
 * lines and `#` comments, inline ` # comments` after unquoted values,
 * single quotes (literal), double quotes (escapes `\n \r \t \" \\ \$`),
 * both possibly spanning lines. Unquoted and double-quoted values are
 * interpolated against the keys above them, then `base`. A bare `KEY`
 * (no `=`) is skipped, as it names a variable of the shell.
 */
export function parseEnv(text: string, base: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const scope: Record<string, string> = { ...base };
  const n = text.length;
  let i = 0;
  const skipToEol = () => {
    while (i < n && text[i] !== '\n') i += 1;
  };
  const skipBlanks = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i += 1;
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
    if (i >= n) break;
    if (text[i] === '#') {
      skipToEol();
      continue;
    }
    if (text.startsWith('export', i) && (text[i + 6] === ' ' || text[i + 6] === '\t')) {
      i += 6;
      skipBlanks();
    }
    const keyStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ':' && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') i += 1;
    const key = text.slice(keyStart, i);
    skipBlanks();
    if (key === '' || (text[i] !== '=' && text[i] !== ':')) {
      skipToEol();
      continue;
    }
    i += 1;
    skipBlanks();
    const quote = text[i];
    let value: string;
    if (quote === "'" || quote === '"') {
      let j = i + 1;
      while (j < n && text[j] !== quote) j += quote === '"' && text[j] === '\\' ? 2 : 1;
      if (j >= n) {
        // Unterminated quote: read the line as an unquoted value.
        value = readUnquoted();
      } else {
        const raw = text.slice(i + 1, j);
        i = j + 1;
        skipToEol();
        value = quote === "'" ? raw : interpolate(unescapeDouble(raw), scope);
      }
    } else {
      value = readUnquoted();
    }
    out[key] = value;
    scope[key] = value;
  }
  return out;

  function readUnquoted(): string {
    const start = i;
    let end = i;
    while (end < n && text[end] !== '\n') {
      if (text[end] === '#' && end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) break;
      end += 1;
    }
    const raw = text.slice(start, end).trim();
    i = end;
    skipToEol();
    return interpolate(raw, scope);
  }
}

function unescapeDouble(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k += 1) {
    const c = raw[k]!;
    if (c === '\\' && k + 1 < raw.length) {
      const mapped = DOUBLE_QUOTE_ESCAPES[raw[k + 1]!];
      out += mapped ?? c + raw[k + 1]!;
      k += 1;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Reads a dotenv file (path relative to the reader's root) into a map; empty
 * when it is missing or refused (the reader reports why). `base` holds
 * variables its values may refer to.
 */
export function readEnvFile(reader: RepoReader, file: string, base: Readonly<Record<string, string>> = {}): Record<string, string> {
  const text = reader.read(file);
  return text === null ? {} : parseEnv(text, base);
}
