/**
 * A model for the graph renderers: a gateway, a shared database, a channel with one producer and
 * two consumers, a synchronous cycle, and names that break naive quoting and id rules.
 */
import { emptyServiceFacts } from '../../../../src/model/facts.js';
import type { Channel, Database, Edge, RepoModel, Service } from '../../../../src/model/types.js';

/** Quotes, backslash, `|`, HTML, `#` entities, a newline, and a Mermaid keyword. */
export const HOSTILE_SERVICE = 'we"ird\\svc|<b>#quot; &\nend';
export const HOSTILE_CHANNEL = 'evt"x|y`z`';

function service(name: string, extra: Partial<Service> = {}): Service {
  return {
    name,
    dir: `services/${name}`,
    packageName: name,
    language: 'typescript',
    origins: ['workspace'],
    compose: null,
    databases: [],
    brokers: [],
    databaseClients: [],
    frameworks: ['fastify'],
    port: null,
    isGateway: false,
    routesTo: [],
    source: null,
    kubernetes: null,
    dockerfile: null,
    deployments: [],
    facts: emptyServiceFacts(),
    location: { file: `services/${name}/package.json` },
    ...extra,
  };
}

const database = (engine: Database['engine'], host: string, name: string, users: string[]): Database => ({
  id: `${engine}://${host}/${name}`,
  engine,
  host,
  name,
  container: host,
  users,
  location: { file: 'compose.yaml', line: 1 },
});

const channel = (broker: Channel['broker'], name: string, producers: string[], consumers: string[]): Channel => ({
  broker,
  name,
  producers,
  consumers,
  locations: [],
});

const sync = (from: string, to: string, calls: number): Edge => ({ from, to, kind: 'sync', calls, channels: [], location: { file: `services/${from}/src/index.ts`, line: 1 } });
const async = (from: string, to: string, channels: string[]): Edge => ({ from, to, kind: 'async', calls: 0, channels, location: { file: `services/${from}/src/index.ts`, line: 1 } });

export function model(): RepoModel {
  return {
    version: 1,
    kind: 'workspace',
    workspace: { patterns: ['services/*'], configFile: null, composeFile: 'compose.yaml' },
    services: [
      service('api-gateway', { isGateway: true, routesTo: ['orders', 'shipping'] }),
      service('orders', { databases: ['postgres://shop-db/shop'] }),
      service('payments', { databases: ['postgres://shop-db/shop'] }),
      service('shipping', { databases: ['mongodb://shipping-db/shipping'] }),
      service(HOSTILE_SERVICE),
      // `a-b` and `a_b` sanitise to the same Mermaid id.
      service('a-b'),
      service('a_b'),
    ],
    databases: [database('postgres', 'shop-db', 'shop', ['orders', 'payments']), database('mongodb', 'shipping-db', 'shipping', ['shipping']), database('redis', 'cache"\\', '0', [HOSTILE_SERVICE])],
    brokers: [{ kind: 'kafka', container: 'kafka', location: { file: 'compose.yaml' } }],
    gateway: 'api-gateway',
    gateways: [],
    infrastructure: [],
    libraries: [],
    channels: [channel('kafka', 'order-created', ['orders'], ['shipping', 'payments']), channel('rabbitmq', HOSTILE_CHANNEL, [HOSTILE_SERVICE], [])],
    edges: [
      sync('api-gateway', 'orders', 1),
      sync('api-gateway', 'payments', 1),
      // A synchronous cycle: orders ⇄ payments.
      sync('orders', 'payments', 3),
      sync('payments', 'orders', 1),
      sync('a-b', 'a_b', 2),
      async('orders', 'shipping', ['order-created']),
      async('orders', 'payments', ['order-created']),
      async(HOSTILE_SERVICE, 'a-b', [HOSTILE_CHANNEL, 'z-last', 'a-first']),
    ],
    // The orchestrator is its own first step.
    sagas: [
      { name: 'place-order', style: 'orchestration', host: 'orders', steps: ['orders', 'payments', 'shipping'], location: { file: 'services/orders/src/sagas/place-order/definition.ts', line: 3 } },
    ],
    files: { compose: ['compose.yaml'], kubernetes: [], dockerfiles: [], packageJson: [], source: 0 },
    diagnostics: [],
  };
}

/** The same model with every list reversed: renderers must not depend on input order. */
export function shuffled(): RepoModel {
  const m = model();
  return {
    ...m,
    services: [...m.services].reverse(),
    databases: [...m.databases].reverse().map((d) => ({ ...d, users: [...d.users].reverse() })),
    channels: [...m.channels].reverse().map((c) => ({ ...c, consumers: [...c.consumers].reverse() })),
    edges: [...m.edges].reverse().map((e) => ({ ...e, channels: [...e.channels].reverse() })),
  };
}

export const OPTION_SETS = [
  { name: 'all', options: { databases: true, channels: true } },
  { name: 'plain', options: { databases: false, channels: false } },
] as const;
