/** Sorted rule registry: id → lazy import. One line per rule; the meta test keeps it equal to the files. */
import type { RuleDefinition } from '../define-rule.js';

const load = (p: Promise<{ default: unknown }>) => p.then((m) => m.default as RuleDefinition);

export const rules = {
  'api-gateway': () => load(import('./api-gateway.js')),
  'chatty-services': () => load(import('./chatty-services.js')),
  'circuit-breakers': () => load(import('./circuit-breakers.js')),
  'database-per-service': () => load(import('./database-per-service.js')),
  'event-driven': () => load(import('./event-driven.js')),
  'health-checks': () => load(import('./health-checks.js')),
  'horizontal-scaling': () => load(import('./horizontal-scaling.js')),
  'no-circuit-breakers': () => load(import('./no-circuit-breakers.js')),
  'no-cross-service-imports': () => load(import('./no-cross-service-imports.js')),
  'no-shared-database': () => load(import('./no-shared-database.js')),
  'no-sync-cycles': () => load(import('./no-sync-cycles.js')),
  'no-undeclared-shared-library': () => load(import('./no-undeclared-shared-library.js')),
  'parse-error': () => load(import('./parse-error.js')),
  'services-found': () => load(import('./services-found.js')),
  tracing: () => load(import('./tracing.js')),
  'unjustified-suppression': () => load(import('./unjustified-suppression.js')),
} as const;

export type RuleId = keyof typeof rules;
