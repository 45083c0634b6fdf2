/**
 * `arch check` on fixture repositories shaped like real ones: it reports what a
 * careful reviewer would, and no more.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/run.js';
import type { CheckResult, ItemId } from '../../src/check/types.js';

const repo = (name: string) => fileURLToPath(new URL(`../fixtures/repos/${name}/`, import.meta.url));
const brief = (r: CheckResult) => r.findings.map((f) => `${f.ruleId} ${f.service ?? '-'} ${f.file ?? '-'}${f.line ? `:${f.line}` : ''}`);
const statuses = (r: CheckResult) => Object.fromEntries(Object.entries(r.scorecard).map(([k, v]) => [k, v.status])) as Record<ItemId, string>;

describe('fixture repositories', () => {
  it('NestJS system with a shared MongoDB', async () => {
    const { result } = await check(repo('nest-shared-mongo'));
    expect(result.services.map((s) => s.name)).toEqual(['notifications', 'orders', 'users']);
    expect(brief(result)).toEqual([
      'api-gateway - -',
      'circuit-breakers orders apps/orders/src/orders.service.ts:14',
      'api-gateway users docker-compose.yml:2',
      'database-per-service users docker-compose.yml:2',
      'horizontal-scaling users docker-compose.yml:2',
      'tracing users docker-compose.yml:2',
      'api-gateway orders docker-compose.yml:10',
      'database-per-service orders docker-compose.yml:10',
      'horizontal-scaling orders docker-compose.yml:10',
      'tracing orders docker-compose.yml:10',
      'horizontal-scaling notifications docker-compose.yml:20',
      'tracing notifications docker-compose.yml:20',
      'no-shared-database - docker-compose.yml:26',
    ]);
    expect(statuses(result)).toMatchObject({ 'shared-database': 'fail', 'database-per-service': 'fail', 'event-driven': 'pass', 'health-checks': 'pass', tracing: 'fail' });
  });

  it('services calling each other synchronously in a cycle', async () => {
    const { result } = await check(repo('sync-cycle'));
    expect(brief(result)).toEqual([
      'event-driven - -',
      'circuit-breakers cart cart/src/server.js:8',
      'no-sync-cycles cart cart/src/server.js:8',
      'circuit-breakers inventory inventory/src/server.js:8',
      'circuit-breakers pricing pricing/src/server.js:8',
    ]);
    expect(result.findings.find((f) => f.ruleId === 'no-sync-cycles')!.message).toBe('synchronous call cycle: cart → pricing → inventory → cart');
    expect(statuses(result)).toMatchObject({ 'distributed-monolith': 'fail', tracing: 'pass', 'horizontal-scaling': 'pass', 'shared-database': 'unknown' });
  });

  it('a polyglot system known only through compose and Kubernetes', async () => {
    const { result } = await check(repo('polyglot-compose'));
    expect(result.findings.every((f) => f.ruleId !== 'parse-error')).toBe(true);
    // Its Go and Java sources are read, and none sets up a tracer: tracing fails (it was unknown while only JS/TS was read).
    expect(result.scorecard.tracing).toMatchObject({ status: 'fail', evidence: expect.stringContaining('catalog') });
    expect(brief(result).length).toBeGreaterThan(0);
    expect(brief(result)).toMatchSnapshot();
  });

  it('a Kubernetes-only system with probes and an HPA', async () => {
    const { result } = await check(repo('k8s-only'));
    expect(brief(result)).toMatchSnapshot();
    expect(statuses(result)).toMatchSnapshot();
  });
});
