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
  /** The definition's description and positional argument (if any), repeated so that `arch --help` loads no definition module. */
  description: string;
  argument?: string;
  load: () => Promise<GeneratorDefinition<OptionsSpec>>;
}

const load = (p: Promise<{ default: unknown }>) => p.then((m) => m.default as GeneratorDefinition<OptionsSpec>);

export const generators: readonly GeneratorEntry[] = [
  { id: 'workspace', command: 'init', argument: 'dir', description: 'Create a microservices workspace (npm workspaces, compose, CI running arch check)', load: () => load(import('./workspace/index.js')) },
  { id: 'service', command: 'create-service', argument: 'name', description: 'Create a microservice: Fastify, PostgreSQL, tracing, health checks, circuit breaker, Dockerfile, tests', load: () => load(import('./service/index.js')) },
  { id: 'gateway', command: 'add-gateway', argument: 'name', description: 'Add the API gateway: routes to every service, JWT auth, roles and scopes, Redis rate limits, circuit breakers', load: () => load(import('./gateway/index.js')) },
  { id: 'producer', command: 'add-producer', argument: 'service', description: 'Publish an event from a service: typed contract, transactional outbox and relay (Kafka or RabbitMQ)', load: () => load(import('./producer/index.js')) },
  { id: 'consumer', command: 'add-consumer', argument: 'service', description: 'Consume an event in a service: idempotent handler, retries with backoff, dead-letter queue (Kafka or RabbitMQ)', load: () => load(import('./consumer/index.js')) },
  { id: 'saga', command: 'add-saga', argument: 'name', description: 'Add a saga across services: ordered steps with compensations, orchestrated or choreographed, surviving crashes', load: () => load(import('./saga/index.js')) },
  { id: 'compose', command: 'compose', description: 'Bring compose.yaml in line with the workspace: add what is missing, update pinned images, keep your own entries', load: () => load(import('./compose/index.js')) },
];
