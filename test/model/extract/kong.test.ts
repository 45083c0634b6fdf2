import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/kong.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);
const routes = async (path: string, text: string) => (await run(path, text))?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line]);

describe('kong', () => {
  it('routes nested under a service and top-level routes naming one go to its URL (or protocol/host/port/path)', async () => {
    const text = `_format_version: "3.0"
services:
- name: orders
  url: http://orders:8080/api
  routes:
  - name: orders
    paths: [ /orders, /o ]
    hosts: [ api.example.com ]
- name: catalog
  protocol: http
  host: catalog
  port: 5000
routes:
- name: catalog
  service: { name: catalog }
  paths: [ /catalog ]
`;
    const facts = await run('kong/kong.yml', text);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'kong', runsIn: null, location: { file: 'kong/kong.yml', line: 1 } });
    expect(await routes('kong/kong.yml', text)).toEqual([
      ['api.example.com', '/orders', 'http://orders:8080/api', false, 6],
      ['api.example.com', '/o', 'http://orders:8080/api', false, 6],
      [null, '/catalog', 'http://catalog:5000', false, 14],
    ]);
  });

  it('a service host naming an upstream resolves to its targets; passive health checks that count failures are a breaker, active ones are not', async () => {
    const text = (healthchecks: string) => `_format_version: "2.1"
upstreams:
- name: payments.upstream
  targets: [ { target: "payments-1:9000" }, { target: "payments-2:9000" } ]
${healthchecks}services:
- name: payments
  host: payments.upstream
  routes: [ { paths: [ /pay ] } ]
`;
    const passive = '  healthchecks:\n    passive:\n      unhealthy: { http_failures: 5, timeouts: 3 }\n';
    const facts = await run('kong.yaml', text(passive));
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.upstream, r.breaker])).toEqual([
      ['http://payments-1:9000', true],
      ['http://payments-2:9000', true],
    ]);
    expect(facts?.breakers).toEqual([{ what: 'Kong upstream payments.upstream: passive health checks', location: { file: 'kong.yaml', line: 6 } }]);
    const active = '  healthchecks:\n    active:\n      unhealthy: { http_failures: 5 }\n    passive:\n      unhealthy: { http_failures: 0 }\n';
    expect((await run('kong.yaml', text(active)))?.gateways?.[0]?.routes.map((r) => r.breaker)).toEqual([false, false]);
    expect((await run('kong.yaml', text('')))?.breakers).toBeUndefined();
  });

  it('files without _format_version, or without services and routes, say nothing', async () => {
    expect(await run('kong.yml', 'services:\n- name: a\n  url: http://a\n')).toBeNull();
    expect(await run('kong.yml', '_format_version: "3.0"\nconsumers: [ { username: u } ]\n')).toBeNull();
    // Lock files and manifests are never read (they can be megabytes).
    expect(await run('package-lock.json', '{ "_format_version": "3.0", "services": [ { "url": "http://a" } ] }')).toBeNull();
  });
});
