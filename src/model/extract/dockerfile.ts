/**
 * Dockerfile extractor: base images, and the HEALTHCHECK and USER the final
 * image runs with.
 *
 * A Dockerfile is line-based, so this is a line-oriented tokenizer rather
 * than a grammar: parser directives (`# escape=`), comments, line
 * continuations (comment lines inside them dropped, as Docker does) and
 * heredoc bodies (`RUN <<EOF … EOF`, skipped) give a list of instructions
 * with their line numbers; each instruction's arguments are then read with a
 * small regex or split on whitespace.
 *
 * Stages: `FROM <stage>` inherits HEALTHCHECK and USER from that earlier
 * stage. Base images are the FROM images that are not earlier stages (nor
 * `scratch`), with `ARG`s declared before the first FROM substituted; an
 * image whose variables have no default is kept as written.
 */
import type { RepoReader } from '../read.js';
import { interpolate } from './env.js';
import type { DockerfileFacts } from '../types.js';

export interface DockerInstruction {
  /** Upper-cased keyword (FROM, RUN, USER…). */
  keyword: string;
  /** Arguments, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

/** Splits Dockerfile text into instructions. Never throws. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  let escape = '\\';
  let i = 0;
  // Parser directives: `# key=value` lines at the very top.
  for (; i < lines.length; i += 1) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const isComment = (line: string) => /^\s*#/.test(line);
  const continues = (line: string) => line.trimEnd().endsWith(escape);
  /** The line without its continuation character. */
  const cut = (line: string) => line.trimEnd().slice(0, -escape.length);
  const out: DockerInstruction[] = [];
  while (i < lines.length) {
    const first = lines[i]!;
    if (first.trim() === '' || isComment(first)) {
      i += 1;
      continue;
    }
    const line = i + 1;
    // Parts are collected and joined once: re-trimming the joined text at every continuation was quadratic.
    const parts: string[] = [];
    let current = first;
    while (continues(current) && i + 1 < lines.length) {
      parts.push(cut(current).trimEnd());
      i += 1;
      while (i < lines.length && isComment(lines[i]!)) i += 1;
      current = i < lines.length ? lines[i]!.trim() : '';
    }
    parts.push(continues(current) ? cut(current) : current);
    const joined = parts.join(' ');
    i += 1;
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    out.push({ keyword, args, line });
    // Heredocs (BuildKit): skip each body up to its terminator line.
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const heredoc of args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
        const word = heredoc[3]!;
        const strip = heredoc[1] === '-';
        while (i < lines.length && (strip ? lines[i]!.replace(/^\t+/, '') : lines[i]!) !== word) i += 1;
        i += 1;
      }
    }
  }
  return out;
}

interface Stage {
  name: string | null;
  parent: Stage | null;
  /** null: not set in this stage (inherited). */
  healthcheck: boolean | null;
  user: string | null;
}

/** The facts of a parsed Dockerfile; null when it has no FROM. */
/**
 * The environment the image's last stage sets (`ENV A=b C="d e"`, or the old `ENV A b`), with its lines: what the
 * process starts with, before the deployment's own environment. One pass over each instruction's text.
 */
export function dockerfileEnvironment(instructions: readonly DockerInstruction[]): Array<{ key: string; value: string; line: number }> {
  let out: Array<{ key: string; value: string; line: number }> = [];
  for (const { keyword, args, line } of instructions) {
    if (keyword === 'FROM') out = [];
    if (keyword !== 'ENV') continue;
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=\s][^\n]*)$/.exec(args.trim());
    if (legacy && !args.includes('=')) {
      out.push({ key: legacy[1]!, value: unquote(legacy[2]!.trim()), line });
      continue;
    }
    for (const [key, value] of envPairs(args)) out.push({ key, value, line });
  }
  return out;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `A=b C="d e" F='g'` as pairs, scanned once from left to right (a regex over the words was quadratic in a long
 * word without `=`): words without `=` are skipped, quotes may hold spaces, `\` escapes the next character.
 */
function envPairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && text[i] !== '=' && !isSpace(text.charCodeAt(i))) i++;
    if (text[i] !== '=') continue;
    const key = text.slice(start, i);
    i++;
    let value = '';
    while (i < text.length && !isSpace(text.charCodeAt(i))) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== c) {
          if (c === '"' && text[j] === '\\' && j + 1 < text.length) j++;
          value += text[j];
          j++;
        }
        i = j + 1;
      } else if (c === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    if (ENV_NAME.test(key)) out.push([key, value]);
  }
  return out;
}

export function dockerfileFacts(file: string, instructions: readonly DockerInstruction[]): DockerfileFacts | null {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const baseImages: string[] = [];
  for (const { keyword, args: text } of instructions) {
    const stage = stages[stages.length - 1];
    if (keyword === 'ARG' && !stage) {
      for (const declaration of text.split(/\s+/)) {
        const eq = declaration.indexOf('=');
        if (eq > 0) args[declaration.slice(0, eq)] = unquote(declaration.slice(eq + 1));
      }
    } else if (keyword === 'FROM') {
      const words = text.split(/\s+/).filter((w) => !w.startsWith('--'));
      const written = words[0] ?? '';
      let missing = false;
      const resolved = interpolate(written, args, () => {
        missing = true;
      });
      const image = missing ? written : resolved;
      const name = words[1]?.toLowerCase() === 'as' && words[2] ? words[2].toLowerCase() : null;
      const parent = stages.find((s) => s.name !== null && s.name === image.toLowerCase()) ?? null;
      if (!parent && image !== '' && image.toLowerCase() !== 'scratch' && !baseImages.includes(image)) baseImages.push(image);
      stages.push({ name, parent, healthcheck: null, user: null });
    } else if (keyword === 'HEALTHCHECK' && stage) {
      const words = text.split(/\s+/).filter((w) => !w.startsWith('--'));
      stage.healthcheck = (words[0] ?? '').toUpperCase() !== 'NONE' && words.length > 0;
    } else if (keyword === 'USER' && stage && text !== '') {
      stage.user = text;
    }
  }
  const final = stages[stages.length - 1];
  if (!final) return null;
  let healthcheck: boolean | null = null;
  let user: string | null = null;
  for (let s: Stage | null = final; s && (healthcheck === null || user === null); s = s.parent) {
    healthcheck ??= s.healthcheck;
    user ??= s.user;
  }
  return { file, healthcheck: healthcheck ?? false, user, baseImages };
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}

/** Reads a Dockerfile (relative path). Refused by the reader (which reports why), or without FROM (a diagnostic): null. */
export function readDockerfile(reader: RepoReader, file: string, parsed?: ReturnType<typeof parseDockerfile> | null): DockerfileFacts | null {
  let instructions = parsed;
  if (instructions === undefined) {
    const text = reader.read(file);
    instructions = text === null ? null : parseDockerfile(text);
  }
  if (instructions === null) return null;
  const facts = dockerfileFacts(file, instructions);
  if (!facts) reader.report({ file, message: 'not a Dockerfile: no FROM instruction' });
  return facts;
}
