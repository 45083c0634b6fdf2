/**
 * Ordered registry of generators: id → lazy import of the definition. The
 * order is the order of `arch --help`. Command names and descriptions are
 * repeated here so that `arch --help` needs no definition module at all; a
 * meta test keeps them equal to the definitions.
 */
import type { GeneratorDefinition } from '../generate/define-generator.js';
import type { OptionsSpec } from '../generate/options.js';

export interface GeneratorEntry {
  id: string;
  command: string;
  load: () => Promise<GeneratorDefinition<OptionsSpec>>;
}

const load = (p: Promise<{ default: unknown }>) => p.then((m) => m.default as GeneratorDefinition<OptionsSpec>);

export const generators: readonly GeneratorEntry[] = [
  { id: 'workspace', command: 'init', load: () => load(import('./workspace/index.js')) },
  { id: 'service', command: 'create-service', load: () => load(import('./service/index.js')) },
  { id: 'gateway', command: 'add-gateway', load: () => load(import('./gateway/index.js')) },
  { id: 'producer', command: 'add-producer', load: () => load(import('./producer/index.js')) },
  { id: 'consumer', command: 'add-consumer', load: () => load(import('./consumer/index.js')) },
  { id: 'saga', command: 'add-saga', load: () => load(import('./saga/index.js')) },
];
