/**
 * Programmatic API: the same engine the CLI uses.
 *
 * @example
 * import { scan, generate } from 'archkit';
 * const model = scan(process.cwd());
 */
export { scan, findWorkspaceRoot } from './model/scan.js';
export type * from './model/types.js';
export { runGenerator as generate, type RunEnv, type RunResult } from './generate/run.js';
export { generators } from './generators/index.js';
export { defineGenerator, type GeneratorDefinition, type GeneratorContext } from './generate/define-generator.js';
export { option } from './generate/options.js';
export { silentLogger, type Logger } from './generate/logger.js';
export { ArchkitError, UsageError, ConfigError, ConflictError, ManualStepsError, CancelledError } from './errors.js';
