import { describe, expect, it } from 'vitest';
import json, { type Graph } from '../../../src/graph/renderers/json.js';
import { HOSTILE_CHANNEL, HOSTILE_SERVICE, OPTION_SETS, model, shuffled } from './__fixtures__/model.js';

const all = { databases: true, channels: true };
const plain = { databases: false, channels: false };
const graph = (options = all) => JSON.parse(json(model(), options)) as Graph;

describe('json renderer', () => {
  it.for(OPTION_SETS)('$name', async ({ name, options }) => {
    const out = json(model(), options);
    expect(out.endsWith('}\n')).toBe(true);
    await expect(out).toMatchFileSnapshot(`__snapshots__/json/${name}.json`);
    expect(json(shuffled(), options)).toBe(out);
  });

  it.for(OPTION_SETS)('$name: every edge joins two nodes, node ids are unique', ({ options }) => {
    const g = graph(options);
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(ids.size).toBe(g.nodes.length);
    for (const e of g.edges) {
      expect(ids.has(e.from), e.from).toBe(true);
      expect(ids.has(e.to), e.to).toBe(true);
    }
  });

  it('has the documented node and edge kinds', () => {
    const g = graph();
    expect(g.nodes.find((n) => n.kind === 'gateway')).toEqual({ id: 'service:api-gateway', kind: 'gateway', label: 'api-gateway', name: 'api-gateway' });
    expect(g.nodes.filter((n) => n.kind === 'database').map((n) => [n.id, n.shared])).toEqual([
      ['database:mongodb://shipping-db/shipping', false],
      ['database:postgres://shop-db/shop', true],
      ['database:redis://cache"\\/0', false],
    ]);
    expect(g.edges.filter((e) => e.kind === 'saga')).toEqual([
      { from: 'service:orders', to: 'service:orders', kind: 'saga', label: 'place-order 1' },
      { from: 'service:orders', to: 'service:payments', kind: 'saga', label: 'place-order 2' },
      { from: 'service:orders', to: 'service:shipping', kind: 'saga', label: 'place-order 3' },
    ]);
    // A choreography has no orchestrator: each step sets off the next.
    const choreographed = json(
      { ...model(), sagas: [{ name: 'ship', style: 'choreography', host: 'orders', steps: ['orders', 'payments', 'shipping'], location: { file: 'services/orders/src/sagas/ship/ship.choreography.ts', line: 5 } }] },
      all,
    );
    expect((JSON.parse(choreographed) as Graph).edges.filter((e) => e.kind === 'saga')).toEqual([
      { from: 'service:orders', to: 'service:payments', kind: 'saga', label: 'ship 2' },
      { from: 'service:payments', to: 'service:shipping', kind: 'saga', label: 'ship 3' },
    ]);
    expect(g.edges.filter((e) => e.kind === 'route')).toEqual([
      { from: 'service:api-gateway', to: 'service:orders', kind: 'route' },
      { from: 'service:api-gateway', to: 'service:shipping', kind: 'route' },
    ]);
    expect(g.nodes.filter((n) => n.kind === 'channel').map((n) => n.id)).toEqual(['channel:kafka:order-created', `channel:rabbitmq:${HOSTILE_CHANNEL}`]);
    expect(g.edges.filter((e) => e.from === 'channel:kafka:order-created')).toEqual([
      { from: 'channel:kafka:order-created', to: 'service:payments', kind: 'async' },
      { from: 'channel:kafka:order-created', to: 'service:shipping', kind: 'async' },
    ]);
    expect(g.edges).toContainEqual({ from: 'service:orders', to: 'service:payments', kind: 'sync', label: '3 calls', calls: 3 });
    expect(g.edges).toContainEqual({ from: 'service:payments', to: 'service:orders', kind: 'sync', calls: 1 });
    expect(g.edges).toContainEqual({ from: 'service:payments', to: 'database:postgres://shop-db/shop', kind: 'data' });
  });

  it('draws async edges between services when channels are not nodes', () => {
    const g = graph(plain);
    expect(g.nodes.map((n) => n.kind)).not.toContain('channel');
    expect(g.nodes.map((n) => n.kind)).not.toContain('database');
    expect(g.edges).toContainEqual({
      from: `service:${HOSTILE_SERVICE}`,
      to: 'service:a-b',
      kind: 'async',
      label: `a-first, ${HOSTILE_CHANNEL}, z-last`,
      channels: ['a-first', HOSTILE_CHANNEL, 'z-last'],
    });
  });

  it('sorts nodes by kind then id, and edges by endpoints', () => {
    const g = graph();
    const order = { gateway: 0, service: 1, database: 2, channel: 3 };
    const keys = g.nodes.map((n) => `${order[n.kind]}${n.id}`);
    expect(keys).toEqual([...keys].sort());
    const edgeKeys = g.edges.map((e) => JSON.stringify([e.from, e.to, e.kind]));
    expect(edgeKeys).toEqual([...edgeKeys].sort());
  });
});
