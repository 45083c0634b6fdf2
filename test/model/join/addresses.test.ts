import { describe, expect, it } from 'vitest';
import { newService } from '../../../src/model/discover/packages.js';
import type { DeploymentUnit, Setting } from '../../../src/model/facts.js';
import { HostIndex, parseAddress } from '../../../src/model/join/addresses.js';
import { joinEdges, resolveCalls } from '../../../src/model/join/edges.js';
import { effectiveSettings } from '../../../src/model/join/settings.js';
import { scan } from '../../../src/model/scan.js';
import type { OutboundCall, Service } from '../../../src/model/types.js';
import { lines, repo } from '../../helpers/repo.js';

describe('join: parseAddress', () => {
  it.for([
    ['http://orders:8080/api/v1', { scheme: 'http', host: 'orders', port: 8080, path: '/api/v1' }],
    ['grpc://payments-svc:50051', { scheme: 'grpc', host: 'payments-svc', port: 50051, path: '' }],
    ['dns:///catalog:9000', { scheme: 'dns', host: 'catalog', port: 9000, path: '' }],
    ['jdbc:postgresql://db:5432/orders', { scheme: 'postgresql', host: 'db', port: 5432, path: '/orders' }],
    ['Shipping:7000', { scheme: null, host: 'shipping', port: 7000, path: '' }],
  ] as const)('%s', ([raw, expected]) => {
    expect(parseAddress(raw)).toEqual(expected);
  });

  it.for([[''], ['orders'], ['just words: here'], ['/var/run/app.sock']])('%j is no address', ([raw]) => {
    expect(parseAddress(raw!)).toBeNull();
  });
});

describe('join: HostIndex', () => {
  const hosts = new HostIndex([
    { name: 'orders', aliases: ['orders', 'orders-api'], names: ['orders-service'] },
    { name: 'storefront', aliases: ['storefront'], names: ['web'] },
    { name: 'web-bff', aliases: ['web'] },
    { name: 'a', aliases: ['shared-name'] },
    { name: 'b', aliases: ['shared-name'] },
  ]);

  it('resolves names, network aliases, DNS forms and usual suffixes', () => {
    expect(hosts.resolve('orders')).toBe('orders');
    expect(hosts.resolve('ORDERS-API')).toBe('orders');
    expect(hosts.resolve('orders-api.shop.svc.cluster.local')).toBe('orders');
    expect(hosts.resolve('orders-svc')).toBe('orders');
    expect(hosts.resolve('orders-service')).toBe('orders');
  });

  it('a network alias wins over another service folder name; two services on one alias, local and unknown hosts resolve to nothing', () => {
    expect(hosts.resolve('web')).toBe('web-bff');
    expect(hosts.resolve('shared-name')).toBeNull();
    expect(hosts.resolve('localhost')).toBeNull();
    expect(hosts.resolve('api.stripe.com')).toBeNull();
  });
});

const env = (entries: Record<string, string>): Setting[] => Object.entries(entries).map(([key, value]) => ({ key, value, profile: null, location: { file: 'compose.yaml', line: 1 } }));

function unit(name: string, format: DeploymentUnit['format'], environment: Setting[] = [], aliases?: string[]): DeploymentUnit {
  return { format, name, images: [], build: null, sourceDir: null, environment, published: [], replicas: null, autoscaling: false, health: [], pins: [], ...(aliases ? { aliases } : {}), location: { file: 'compose.yaml', line: 1 } };
}

function service(name: string, units: DeploymentUnit[], calls: Array<Partial<OutboundCall>> = []): Service {
  const s = newService(name, name, { file: `${name}/pom.xml` });
  s.deployments = units;
  s.facts.calls = calls.map((c, i) => ({ kind: 'http', client: 'http', method: null, url: null, target: null, envVar: null, breaker: false, inLoop: false, location: { file: `${name}/Client.java`, line: i + 1 }, ...c }));
  return s;
}

const settingsOf = (s: Service) => effectiveSettings(s.deployments.flatMap((d) => d.environment), s.facts.settings);
const targets = (s: Service) => s.facts.calls.map((c) => c.target);

describe('join: call targets from addresses in configuration', () => {
  it('*_ADDR=host:port, *_URL, *_HOST + *_PORT and a Kubernetes Service alias each give an edge to the named service', () => {
    const caller = service(
      'checkout',
      [unit('checkout', 'compose', env({ CATALOG_ADDR: 'catalog:50051', PAYMENTS_URL: 'http://payments:8080/api', SHIPPING_HOST: 'shipping', SHIPPING_PORT: '7000', REVIEWS_URL: 'http://reviews-api.shop.svc.cluster.local' }))],
      [
        { kind: 'grpc', envVar: 'CATALOG_ADDR', url: 'env:CATALOG_ADDR' },
        { envVar: 'PAYMENTS_URL', url: 'env:PAYMENTS_URL' },
        { url: 'http://${SHIPPING_HOST}:${SHIPPING_PORT}/quote' },
        { configKey: 'reviews.url' },
      ],
    );
    const services = [caller, service('catalog', [unit('catalog', 'compose')]), service('payments', [unit('payments', 'compose')]), service('shipping', [unit('shipping', 'compose')]), service('reviews', [unit('reviews', 'kubernetes', [], ['reviews-api'])])];
    resolveCalls(services, [], settingsOf);
    expect(targets(caller)).toEqual(['catalog', 'payments', 'shipping', 'reviews']);
    expect(joinEdges(services).edges.map((e) => [e.from, e.to, e.kind, e.calls])).toEqual([
      ['checkout', 'catalog', 'sync', 1],
      ['checkout', 'payments', 'sync', 1],
      ['checkout', 'reviews', 'sync', 1],
      ['checkout', 'shipping', 'sync', 1],
    ]);
  });

  it('a host that names infrastructure, a third-party host, a local one or an unset variable gives no edge', () => {
    const caller = service(
      'checkout',
      [unit('checkout', 'compose', env({ CACHE_ADDR: 'redis:6379', STRIPE_URL: 'https://api.stripe.com/v1', AUTH_URL: 'http://keycloak:8080/realms/shop', SELF_URL: 'http://localhost:3000' }))],
      [{ envVar: 'CACHE_ADDR' }, { envVar: 'STRIPE_URL' }, { envVar: 'AUTH_URL' }, { envVar: 'SELF_URL' }, { envVar: 'MISSING_URL' }, { url: 'http://${UNSET_HOST}/x' }],
    );
    const services = [caller, service('catalog', [unit('catalog', 'compose')])];
    resolveCalls(services, [{ key: 'redis', image: 'redis:7', role: 'cache', reason: 'cache image redis:7' }, { key: 'keycloak', image: 'quay.io/keycloak/keycloak:26.0', role: 'platform', reason: 'platform image' }], settingsOf);
    expect(targets(caller)).toEqual([null, null, null, null, null, null]);
    expect(joinEdges(services).edges).toEqual([]);
  });
});

describe('join: edges in a scanned repository', () => {
  const goCaller = lines(
    'package main',
    '',
    'import (',
    '\t"os"',
    '\t"google.golang.org/grpc"',
    ')',
    '',
    'func main() {',
    '\tconn, _ := grpc.Dial(os.Getenv("CATALOG_ADDR"), grpc.WithInsecure())',
    '\t_ = conn',
    '}',
  );
  const files = (catalogAddr: string) => ({
    'docker-compose.yml': lines(
      'services:',
      '  frontend:',
      '    build: ./frontend',
      '    environment:',
      `      CATALOG_ADDR: ${catalogAddr}`,
      '  catalog:',
      '    build: ./catalog',
      '  cache:',
      '    image: redis:7.4',
    ),
    'frontend/go.mod': lines('module example.com/frontend', '', 'go 1.23', '', 'require google.golang.org/grpc v1.70.0'),
    'frontend/main.go': goCaller,
    'catalog/go.mod': lines('module example.com/catalog', '', 'go 1.23'),
    'catalog/main.go': lines('package main', '', 'func main() {}'),
  });

  it('a compose *_ADDR read by the code joins the two services', async () => {
    const model = await scan(repo(files('catalog:3550')));
    expect(model.edges.map((e) => [e.from, e.to, e.kind, e.location.file])).toEqual([['frontend', 'catalog', 'sync', 'frontend/main.go']]);
  });

  it('the same call to an infrastructure container is no edge', async () => {
    const model = await scan(repo(files('cache:6379')));
    expect(model.edges).toEqual([]);
  });
});

/** A Node service of the repository: its package.json and a server (files for `repo`). */
const expressService = (name: string): Record<string, string> => ({
  [`${name}/package.json`]: JSON.stringify({ name, dependencies: { express: '4.21.0' } }),
  [`${name}/server.js`]: "require('express')().listen(8080);\n",
});

describe('join: a host from an environment variable with a default in the code', () => {
  const files = (env: string[]) => ({
    'cart/package.json': JSON.stringify({ name: 'cart', dependencies: { request: '2.88.2' } }),
    'cart/server.js': lines(
      "const request = require('request');",
      "var catalogueHost = process.env.CATALOGUE_HOST || 'catalogue';",
      "module.exports = (sku) => request('http://' + catalogueHost + ':8080/product/' + sku, () => {});",
    ),
    ...expressService('catalogue'),
    ...expressService('other'),
    'compose.yaml': lines('services:', '  cart:', '    build: cart', ...env, '  catalogue:', '    build: catalogue', '  other:', '    build: other'),
  });
  const targets = async (env: string[]) => (await scan(repo(files(env)), { source: true })).services.find((s) => s.name === 'cart')!.facts.calls.map((c) => c.target);

  it("goes to the code's default when the deployment does not set the variable, and to the deployment's value when it does", async () => {
    expect(await targets([])).toEqual(['catalogue']);
    expect(await targets(['    environment:', '      CATALOGUE_HOST: other'])).toEqual(['other']);
  });
});

describe('join: a proxy image built from a folder of the repository', () => {
  it("resolves its configuration's ${VAR} upstreams from its image's ENV and its compose environment, and is the gateway", async () => {
    const model = await scan(
      repo({
        'web/Dockerfile': lines('FROM alpine:3.22 AS build', 'RUN echo modules', 'FROM nginx:1.27', 'ENV CATALOGUE_HOST=catalogue', 'COPY default.conf.template /etc/nginx/templates/'),
        'web/default.conf.template': lines(
          'server {',
          '  listen 8080;',
          '  location /api/catalogue/ { proxy_pass http://${CATALOGUE_HOST}:8080/; }',
          '  location /api/cart/ { proxy_pass http://${CART_HOST}:8080/; }',
          '}',
        ),
        ...expressService('catalogue'),
        ...expressService('cart'),
        'compose.yaml': lines('services:', '  web:', '    build: web', '    ports: ["8080:8080"]', '    environment:', '      CART_HOST: cart', '  catalogue:', '    build: catalogue', '  cart:', '    build: cart'),
      }),
    );
    expect(model.infrastructure.map((i) => i.key)).toContain('web');
    expect(model.gateways.map((g) => [g.name, g.routes.map((r) => r.target)])).toEqual([['web', ['catalogue', 'cart']]]);
  });
});
