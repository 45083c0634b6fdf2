/**
 * File discovery for the scanner. STUB: to be replaced (issue #3) by a walk
 * that honours .gitignore and `ignore` globs, skips node_modules/.git/dist,
 * oversized and binary files and symlink loops (each skip a diagnostic).
 */
import type { Diagnostic } from '../types.js';

export interface RepoFiles {
  /** compose*.y(a)ml and docker-compose*.y(a)ml, relative paths, sorted. */
  compose: string[];
  /** Other .yaml/.yml files (Kubernetes manifest candidates). */
  yaml: string[];
  /** Dockerfile, Dockerfile.*, *.Dockerfile. */
  dockerfiles: string[];
  /** package.json files. */
  packageJson: string[];
  /** .env files (.env, .env.*), for compose interpolation. */
  env: string[];
  /** JavaScript/TypeScript sources (.ts .tsx .mts .cts .js .jsx .mjs .cjs, not .d.ts, not minified bundles). */
  source: string[];
  /** Files skipped with a reason (too large, binary, unreadable, symlink loop). */
  skipped: Diagnostic[];
}

export interface ListOptions {
  /** Extra ignore globs (arch.config.json `ignore`), matched against relative paths. */
  ignore?: readonly string[];
  /** Files larger than this are skipped (bytes). */
  maxFileSize?: number;
}

export function listFiles(_root: string, _options: ListOptions = {}): RepoFiles {
  return { compose: [], yaml: [], dockerfiles: [], packageJson: [], env: [], source: [], skipped: [] };
}
