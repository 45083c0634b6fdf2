/** Reporter registry: name → lazy import. Feeds `--format` choices and help. */
import type { Reporter } from '../types.js';

const load = (p: Promise<{ default: Reporter }>) => p.then((m) => m.default);

export const reporters = {
  stylish: () => load(import('./stylish.js')),
  json: () => load(import('./json.js')),
  sarif: () => load(import('./sarif.js')),
  github: () => load(import('./github.js')),
  markdown: () => load(import('./markdown.js')),
  gitlab: () => load(import('./gitlab.js')),
} as const;

export type ReporterName = keyof typeof reporters;
export const REPORTER_NAMES = Object.keys(reporters) as ReporterName[];
