import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.js';
import { at, call, scan, write } from './source-helpers.js';

describe('scanSource: addresses held by a client class', () => {
  it('follows a constructor option into the fields the calls use, from where the class is instantiated', async () => {
    const root = tmpDir();
    const gw = 'services/gateway/src';
    write(root, {
      [`${gw}/RestaurantProxy.js`]: [
        "const fetch = require('node-fetch');",
        'class RestaurantProxy {',
        '  constructor(options) {',
        '    this.url = `${options.baseUrl}/restaurants`;',
        '  }',
        '  find(id) {',
        '    return fetch(`${this.url}/${id}`);',
        '  }',
        '}',
        'module.exports = { RestaurantProxy };',
        '',
      ].join('\n'),
      [`${gw}/OrdersProxy.ts`]: [
        'export class OrdersProxy {',
        '  constructor({ baseUrl }: { baseUrl: string }) {',
        '    this.baseUrl = baseUrl;',
        '  }',
        '  private readonly baseUrl: string;',
        '  list() {',
        '    return fetch(`${this.baseUrl}/orders`);',
        '  }',
        '}',
        '',
      ].join('\n'),
      [`${gw}/server.ts`]: [
        "const { RestaurantProxy } = require('./RestaurantProxy');",
        "import { OrdersProxy } from './OrdersProxy';",
        'export function context() {',
        "  return { restaurants: new RestaurantProxy({ baseUrl: process.env.RESTAURANT_URL || 'http://localhost:8080' }), orders: new OrdersProxy({ baseUrl: 'http://orders:8080' }) };",
        '}',
        '',
      ].join('\n'),
      // One class for two services: no one address.
      'services/shared/src/client.ts': [
        'export class Client {',
        '  constructor(private readonly base: string) {}',
        '  get(path: string) {',
        '    return fetch(`${this.base}${path}`);',
        '  }',
        '}',
        "export const a = new Client('http://orders:8080');",
        "export const b = new Client('http://restaurants:8080');",
        '',
      ].join('\n'),
      // Set in the constructor from the environment.
      'services/reports/src/orders.ts': [
        'export class Orders {',
        '  private readonly baseUrl: string;',
        '  constructor() {',
        '    this.baseUrl = process.env.ORDERS_URL;',
        '  }',
        '  find(id: string) {',
        '    return fetch(`${this.baseUrl}/orders/${id}`);',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['gateway', 'shared', 'reports'], ['gateway', 'shared', 'reports', 'orders', 'restaurant']);
    expect(facts('gateway').calls).toEqual([
      call({ url: '${this.baseUrl}/orders', target: 'orders', location: at(`${gw}/OrdersProxy.ts`, 7, 12) }),
      call({ url: 'env:RESTAURANT_URL', envVar: 'RESTAURANT_URL', target: 'restaurant', location: at(`${gw}/RestaurantProxy.js`, 7, 12) }),
    ]);
    expect(facts('shared').calls).toEqual([call({ url: '${this.base}${path}', location: at('services/shared/src/client.ts', 4, 12) })]);
    expect(facts('reports').calls).toEqual([call({ url: 'env:ORDERS_URL', envVar: 'ORDERS_URL', target: 'orders', location: at('services/reports/src/orders.ts', 7, 12) })]);
  });
});

describe('scanSource: calls per item', () => {
  it('marks calls in callbacks over a list, in methods called per item (DataLoader batches) and in for loops over a length; not in retry loops', async () => {
    const root = tmpDir();
    const f = 'services/bff/src/proxy.ts';
    write(root, {
      [f]: [
        "import DataLoader from 'dataloader';",
        'export class Proxy {',
        '  private readonly loader = new DataLoader((keys: readonly string[]) => this.batch(keys));',
        '  batch(keys: readonly string[]) {',
        '    return Promise.all(keys.map((k) => this.one(k)));',
        '  }',
        '  one(id: string) {',
        '    return fetch(`http://restaurants/r/${id}`);',
        '  }',
        '  all(ids: string[]) {',
        '    return Promise.all(ids.map((id) => fetch(`http://orders/o/${id}`)));',
        '  }',
        '  async each(ids: string[]) {',
        '    for (let i = 0; i < ids.length; i++) await fetch(`http://orders/o/${ids[i]}`);',
        '  }',
        '  async retry() {',
        '    for (let attempt = 1; ; attempt++) {',
        '      try {',
        '        return await this.once();',
        '      } catch {',
        '        if (attempt >= 3) throw new Error();',
        '      }',
        '    }',
        '  }',
        '  once() {',
        "    return fetch('http://orders/health');",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['bff'], ['bff', 'orders', 'restaurants']);
    expect(facts('bff').calls.map((c) => [c.location.line, c.inLoop])).toEqual([
      [8, true],
      [11, true],
      [14, true],
      [26, false],
    ]);
  });
});
