import { describe, expect, it } from 'vitest';
import { breakersOf } from '../../src/check/rules/utils/evidence.js';
import { breakerVerdict, sharedDatabaseVerdict } from '../../src/check/rules/utils/verdicts.js';
import { newService } from '../../src/model/discover/packages.js';
import type { Database, OutboundCall, RepoModel, Service } from '../../src/model/types.js';

function service(name: string, over: { calls?: Array<Partial<OutboundCall>>; breakers?: string[]; read?: boolean; databases?: string[]; keepsData?: boolean } = {}): Service {
  const s = newService(name, name, { file: `${name}/package.json` });
  s.facts.sourceRead = over.read ?? true;
  s.facts.calls = (over.calls ?? []).map((c, i) => ({ kind: 'http', client: 'fetch', method: 'GET', url: null, target: null, envVar: null, breaker: false, inLoop: false, location: { file: `${name}/src/client.ts`, line: i + 1 }, ...c }));
  s.facts.breakers = (over.breakers ?? []).map((what) => ({ what, location: { file: `${name}/src/resilience.ts`, line: 1 } }));
  s.databases = over.databases ?? [];
  if (over.keepsData) s.facts.capabilities.push({ capability: { kind: 'database', engine: 'postgres' }, via: 'pg', location: { file: `${name}/package.json` } });
  return s;
}

function model(services: Service[], databases: Database[] = []): RepoModel {
  return {
    version: 1,
    kind: 'unknown',
    workspace: null,
    services,
    databases,
    brokers: [],
    gateway: null,
    gateways: [],
    infrastructure: [],
    channels: [],
    edges: [],
    sagas: [],
    libraries: [],
    files: { compose: [], kubernetes: [], dockerfiles: [], packageJson: [], source: 0 },
    diagnostics: [],
  };
}

const db = (id: string, users: string[]): Database => {
  const [engine, rest] = id.split('://') as [Database['engine'], string];
  const [host, name] = rest.split('/') as [string, string];
  return { id, engine, host, name, container: null, users, location: { file: 'compose.yaml', line: 1 } };
};

describe('breakerVerdict', () => {
  it('passes when a caller applies breakers, naming the calls that go around them', () => {
    const verdict = breakerVerdict(
      model([
        service('orders', { calls: [{ target: 'payments', breaker: true }, { target: 'stock' }] }),
        service('payments'),
        service('stock'),
      ]),
    );
    expect(verdict.status).toBe('pass');
    expect(verdict.evidence).toMatch(/breakers protect the calls of orders/);
    expect(verdict.evidence).toMatch(/1 call bypasses them \(orders → stock\)/);
  });

  it('fails when services call others and none applies a breaker', () => {
    const verdict = breakerVerdict(model([service('orders', { calls: [{ target: 'payments' }] }), service('payments')]));
    expect(verdict).toEqual({ status: 'fail', evidence: '1 service (orders) calls others and applies no circuit breaker' });
  });

  it('a call to something that is not a service of the model (a third-party API, unresolved) is no call between services', () => {
    const s = [service('orders', { calls: [{ target: null, url: 'https://api.stripe.com' }, { target: 'stripe' }] }), service('payments')];
    expect(breakerVerdict(model(s)).status).toBe('fail');
    expect(breakerVerdict(model(s)).evidence).toMatch(/no synchronous call between services found/);
  });

  it('passes on breakers in use where no call could be resolved', () => {
    expect(breakerVerdict(model([service('orders', { breakers: ['@CircuitBreaker on PaymentsClient.pay'] }), service('payments', { read: false })])).status).toBe('pass');
  });

  it('a Feign fallback counts only where the switch that runs Feign clients in breakers is on', () => {
    // As the Java and Spring configuration extractors word them.
    const fallback = '@FeignClient payments com.acme.PaymentsClient (active only when feign.circuitbreaker.enabled / feign.hystrix.enabled is true)';
    const verdict = (breakers: string[]) => breakerVerdict(model([service('orders', { calls: [{ target: 'payments' }], breakers }), service('payments')])).status;
    expect(verdict([fallback])).toBe('fail');
    expect(verdict([fallback, 'feign.circuitbreaker.enabled=true'])).toBe('pass');
    expect(verdict([fallback, 'spring.cloud.openfeign.circuitbreaker.enabled=true'])).toBe('pass');
    // The configuration extractor takes TRUE for true, as Spring does: the fallback is then among the breakers shown.
    const upper = model([service('orders', { calls: [{ target: 'payments' }], breakers: [fallback, 'feign.hystrix.enabled=TRUE'] }), service('payments')]);
    expect(breakersOf(upper.services[0]!, upper)).toEqual([`${fallback} (orders/src/resilience.ts:1)`, 'feign.hystrix.enabled=TRUE (orders/src/resilience.ts:1)']);
  });

  it('no call and no breaker: fail when every service code was read, unknown (naming the unread) otherwise', () => {
    expect(breakerVerdict(model([service('orders'), service('payments')])).status).toBe('fail');
    expect(breakerVerdict(model([service('orders'), service('payments', { read: false })]))).toEqual({
      status: 'unknown',
      evidence: 'no call between services found and no breaker; the code of payments could not be read',
    });
  });

  it('a single service calls no other service', () => {
    expect(breakerVerdict(model([service('orders', { read: false })])).status).toBe('pass');
  });
});

describe('sharedDatabaseVerdict', () => {
  it('fails when two services use one database identity', () => {
    const verdict = sharedDatabaseVerdict(model([service('orders', { databases: ['postgres://db/shop'] }), service('payments', { databases: ['postgres://db/shop'] })], [db('postgres://db/shop', ['orders', 'payments'])]));
    expect(verdict).toEqual({ status: 'fail', evidence: 'postgres://db/shop is used by orders, payments' });
  });

  it('a Redis used by several services is not a shared database', () => {
    const verdict = sharedDatabaseVerdict(
      model(
        [service('orders', { databases: ['postgres://db/orders', 'redis://cache/0'] }), service('payments', { databases: ['postgres://db/payments', 'redis://cache/0'] })],
        [db('postgres://db/orders', ['orders']), db('postgres://db/payments', ['payments']), db('redis://cache/0', ['orders', 'payments'])],
      ),
    );
    expect(verdict.status).toBe('pass');
  });

  it('unknown when fewer than half of the services that keep data have a known database; pass from half on', () => {
    const known = (name: string) => service(name, { databases: [`postgres://db/${name}`] });
    const unknown = (name: string) => service(name, { keepsData: true });
    const dbs = (names: string[]) => names.map((n) => db(`postgres://db/${n}`, [n]));
    const few = sharedDatabaseVerdict(model([known('orders'), unknown('payments'), unknown('stock')], dbs(['orders'])));
    expect(few).toEqual({ status: 'unknown', evidence: 'database identities found for orders only; unknown for payments, stock' });
    expect(sharedDatabaseVerdict(model([known('orders'), known('payments'), unknown('stock'), unknown('users')], dbs(['orders', 'payments']))).status).toBe('pass');
  });

  it('unknown when no service has a known database', () => {
    expect(sharedDatabaseVerdict(model([service('orders', { keepsData: true })])).evidence).toBe('no connection settings found for orders');
    expect(sharedDatabaseVerdict(model([service('orders')])).evidence).toBe('no service keeps data that archkit can see');
  });
});
