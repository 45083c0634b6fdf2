/** JavaScript/TypeScript source extractor. STUB: to be replaced (issue #3). */
import type { Diagnostic, SourceFacts } from '../types.js';

export interface SourceScanInput {
  /** Absolute repository root. */
  root: string;
  /** Services with a source folder (relative to root, '.' for the root). */
  services: ReadonlyArray<{ name: string; dir: string }>;
  /** Source files to parse, relative to root (from listFiles). Files outside every service dir are ignored. */
  files: readonly string[];
  /** Every service name in the repository (URL hosts and env var names are matched against them). */
  serviceNames: readonly string[];
}

export interface SourceScanResult {
  /** Facts per service name. */
  facts: Map<string, SourceFacts>;
  diagnostics: Diagnostic[];
  /** Files parsed. */
  parsed: number;
}

export async function scanSource(input: SourceScanInput): Promise<SourceScanResult> {
  return { facts: new Map(input.services.map((s) => [s.name, emptySourceFacts()])), diagnostics: [], parsed: 0 };
}

export function emptySourceFacts(): SourceFacts {
  return { files: 0, tracing: null, healthRoutes: [], calls: [], messaging: [], crossImports: [], localState: [] };
}
