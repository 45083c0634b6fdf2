import { describe, expect, it } from 'vitest';
import extractor, { labelsFromTags, traefikFromLabels } from '../../../src/model/extract/traefik.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);
const routes = async (path: string, text: string) => (await run(path, text))?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line]);

const at = { file: 'compose.yaml', line: 12 };
const fromLabels = (labels: Record<string, string>) => traefikFromLabels('orders', labels, at).map((r) => [r.host, r.path, r.upstream, r.breaker]);

describe('traefik', () => {
  it('dynamic YAML: routers to load-balancer servers, through weighted services; a circuitBreaker middleware is a breaker, retry is not', async () => {
    const text = `http:
  routers:
    api:
      rule: "Host(\`api.example.com\`) && PathPrefix(\`/orders\`)"
      service: orders
      middlewares: [ cb@file ]
    web:
      rule: "PathPrefix(\`/\`)"
      service: split
      middlewares: [ retry ]
    dashboard:
      rule: "PathPrefix(\`/dashboard\`)"
      service: api@internal
  services:
    orders:
      loadBalancer:
        servers: [ { url: "http://orders:8080" } ]
    web-v1:
      loadBalancer: { servers: [ { url: "http://web-1:80" } ] }
    split:
      weighted: { services: [ { name: web-v1, weight: 3 }, { name: web-v2@docker, weight: 1 } ] }
  middlewares:
    cb:
      circuitBreaker: { expression: "LatencyAtQuantileMS(50.0) > 100" }
    retry:
      retry: { attempts: 4 }
`;
    const facts = await run('traefik/dynamic/routes.yml', text);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'traefik', runsIn: null, location: { file: 'traefik/dynamic/routes.yml', line: 2 } });
    expect(await routes('traefik/dynamic/routes.yml', text)).toEqual([
      ['api.example.com', '/orders', 'http://orders:8080', true, 3],
      [null, '/', 'http://web-1:80', false, 7],
      [null, '/', 'web-v2@docker', false, 7],
    ]);
    expect(facts?.breakers).toEqual([{ what: 'Traefik middleware cb: circuitBreaker', location: { file: 'traefik/dynamic/routes.yml', line: 24 } }]);
  });

  it('dynamic TOML, TCP routers, and the v1 frontends/backends shape with a backend circuit breaker', async () => {
    const v2 = `[tcp.routers.db]
  rule = "HostSNI(\`*\`)"
  service = "db"

[[tcp.services.db.loadBalancer.servers]]
  address = "postgres:5432"
`;
    expect(await routes('traefik/dynamic.toml', v2)).toEqual([[null, null, 'tcp://postgres:5432', false, 1]]);
    const v1 = `[frontends]
  [frontends.shop]
  backend = "shop"
    [frontends.shop.routes.api]
    rule = "Host:shop.example.com;PathPrefix:/api"

[backends]
  [backends.shop]
    [backends.shop.circuitbreaker]
    expression = "NetworkErrorRatio() > 0.5"
    [backends.shop.servers.one]
    url = "http://shop:3000"
`;
    const facts = await run('rules.toml', v1);
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line])).toEqual([['shop.example.com', '/api', 'http://shop:3000', true, 2]]);
    expect(facts?.breakers?.map((b) => b.what)).toEqual(['Traefik backend shop: circuitBreaker']);
  });

  it('a static configuration is a Traefik gateway whose routes come from elsewhere (labels, providers)', async () => {
    const facts = await run('traefik.yml', 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  docker:\n    exposedByDefault: false\n');
    expect(facts?.gateways).toEqual([{ implementation: 'traefik', runsIn: null, routes: [], location: { file: 'traefik.yml', line: 1 } }]);
  });

  it('other YAML and TOML files say nothing', async () => {
    expect(await run('config.yaml', 'routers:\n  - a\n')).toBeNull();
    expect(await run('pyproject.toml', '[tool.poetry]\nname = "routers"\n')).toBeNull();
    expect(await run('ci.yml', 'entryPoints: [ main ]\n')).toBeNull();
  });

  it('labels: a router rule to the labelled service on its load-balancer port; circuit breaker middlewares defined in the labels', () => {
    expect(
      fromLabels({
        'traefik.enable': 'true',
        'traefik.http.routers.orders.rule': 'Host(`shop.local`) && PathPrefix(`/orders`)',
        'traefik.http.routers.orders.middlewares': 'orders-cb@docker',
        'traefik.http.services.orders.loadbalancer.server.port': '8080',
        'traefik.http.middlewares.orders-cb.circuitbreaker.expression': 'NetworkErrorRatio() > 0.5',
        'traefik.http.routers.admin.rule': 'PathPrefix(`/admin`)',
        'traefik.http.routers.admin.service': 'orders',
      }),
    ).toEqual([
      ['shop.local', '/orders', 'http://orders:8080', true],
      [null, '/admin', 'http://orders:8080', false],
    ]);
  });

  it('labels: keys are case-insensitive; the dashboard (api@internal) is not this container; disabled or unlabelled containers give nothing', () => {
    expect(fromLabels({ 'traefik.http.routers.o.rule': 'PathPrefix(`/o`)', 'traefik.http.services.o.loadBalancer.server.port': '3000' })).toEqual([[null, '/o', 'http://orders:3000', false]]);
    expect(fromLabels({ 'traefik.http.routers.dash.rule': 'PathPrefix(`/dashboard`)', 'traefik.http.routers.dash.service': 'api@internal' })).toEqual([]);
    expect(fromLabels({ 'traefik.enable': 'false', 'traefik.http.routers.o.rule': 'PathPrefix(`/o`)' })).toEqual([]);
    expect(fromLabels({ 'com.example.team': 'orders' })).toEqual([]);
  });

  it('labels: enabled without a router is the default router; Traefik v1 labels; Consul/Nomad tags read as labels', () => {
    expect(fromLabels({ 'traefik.enable': 'true' })).toEqual([[null, null, 'http://orders', false]]);
    expect(fromLabels({ 'traefik.http.services.o.loadbalancer.server.port': '9000' })).toEqual([[null, null, 'http://orders:9000', false]]);
    expect(fromLabels({ 'traefik.frontend.rule': 'PathPrefix:/orders', 'traefik.port': '8080', 'traefik.backend.circuitbreaker.expression': 'NetworkErrorRatio() > 0.5' })).toEqual([
      [null, '/orders', 'http://orders:8080', true],
    ]);
    expect(fromLabels({ 'traefik.enable': 'true', 'traefik.port': '8080' })).toEqual([[null, null, 'http://orders:8080', false]]);
    expect(labelsFromTags(['traefik.enable=true', 'traefik.http.routers.web.rule=PathPrefix(`/api`)', 'urlprefix-/'])).toEqual({
      'traefik.enable': 'true',
      'traefik.http.routers.web.rule': 'PathPrefix(`/api`)',
      'urlprefix-/': '',
    });
  });
});
