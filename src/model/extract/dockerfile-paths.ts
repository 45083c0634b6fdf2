/**
 * The repository paths a Dockerfile names: the sources of its COPY and ADD
 * instructions (not `--from` a stage, not URLs) and the path-like arguments
 * of its RUN instructions (`go build ./cmd/counter`, `dotnet publish
 * "Services/Ordering/Ordering.API/Ordering.API.csproj"`, `mvn -pl orders`),
 * as written, relative to the build context. The link step keeps the ones
 * that are folders of code.
 */
import type { DockerInstruction } from './dockerfile.js';

const PATHLIKE = /^(?:\.{1,2}\/)?[A-Za-z0-9_@][A-Za-z0-9_.@-]*(?:\/[A-Za-z0-9_.@*-]+)*\/?$/;

function words(args: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of args) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (/\s|[;&|()]/.test(ch)) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

/** Paths named by COPY/ADD sources and RUN arguments (RUN ones marked `run:`), in order, without duplicates. */
export function dockerfilePaths(instructions: readonly DockerInstruction[]): string[] {
  const out = new Set<string>();
  for (const { keyword, args } of instructions) {
    if (keyword === 'COPY' || keyword === 'ADD') {
      let list: string[];
      const trimmed = args.trim();
      if (trimmed.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(trimmed);
          list = Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
        } catch {
          list = words(trimmed);
        }
      } else list = words(trimmed);
      if (list.some((w) => /^--from=/i.test(w))) continue;
      const operands = list.filter((w) => !w.startsWith('--'));
      for (const source of operands.slice(0, -1)) if (!/^[a-z]+:\/\//i.test(source) && !source.includes('$')) out.add(source);
    } else if (keyword === 'RUN') {
      for (const word of words(args)) {
        if (word.startsWith('-') || word.includes('$') || word.startsWith('/')) continue;
        if ((word.includes('/') || word.startsWith('.')) && PATHLIKE.test(word) && word !== '.' && word !== './') out.add(`run:${word}`);
      }
    }
  }
  return [...out];
}
