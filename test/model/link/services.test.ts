import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/model/scan.js';
import { lines, repo } from '../../helpers/repo.js';

const pkg = (name: string, deps: string[] = []) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) });
const pom = (artifact: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>${artifact}</artifactId><version>1.0</version></project>\n`;
const javaMain = (pkgName: string) => `package com.acme.${pkgName};\n\npublic class Application {\n  public static void main(String[] args) {}\n}\n`;

const linked = async (files: Record<string, string>) => {
  const model = await scan(repo(files));
  return {
    model,
    services: model.services.map((s) => [s.name, s.dir]),
    infrastructure: model.infrastructure.map((i) => i.key),
  };
};

describe('link: build context and Dockerfile', () => {
  const monorepo = (rootDeps: Record<string, Record<string, string>>) => ({
    'package.json': JSON.stringify({ name: 'shop', ...rootDeps }),
    'nx.json': '{}',
    'apps/orders/src/main.ts': 'export {};\n',
    'apps/orders/Dockerfile': lines('FROM node:22', 'COPY . .', 'RUN npx nx build orders'),
    'apps/payments/src/main.ts': 'export {};\n',
    'apps/payments/Dockerfile': lines('FROM node:22', 'COPY . .', 'RUN npx nx build payments'),
    'docker/Dockerfile': lines('FROM node:22', 'COPY . .'),
    'docker-compose.yml': lines(
      'services:',
      '  orders:',
      '    build:',
      '      context: .',
      '      dockerfile: apps/orders/Dockerfile',
      '  payments:',
      '    build:',
      '      context: .',
      '      dockerfile: ./apps/payments/Dockerfile',
      '  admin:',
      '    build:',
      '      context: .',
      '      dockerfile: docker/Dockerfile',
    ),
  });

  it('context = repo root + dockerfile: apps/x/Dockerfile (Nx monorepo): service x with the folder apps/x; a Dockerfile in a folder without code leaves the context', async () => {
    const { services } = await linked(monorepo({ devDependencies: { nx: '21.0.0' } }));
    expect(services).toEqual([
      ['admin', '.'],
      ['orders', 'apps/orders'],
      ['payments', 'apps/payments'],
    ]);
  });

  it('builds from one shared context with Dockerfiles in folders of their own are separate units, whatever their folders hold (C++, an Envoy image, a broker image)', async () => {
    const { services, infrastructure } = await linked({
      '.env': lines('CURRENCY_DOCKERFILE=./src/currency/Dockerfile', 'API_PORT=8080'),
      'src/currency/CMakeLists.txt': 'project(currency)\n',
      'src/currency/src/server.cpp': 'int main() { return 0; }\n',
      'src/currency/Dockerfile': lines('FROM alpine:3.22', 'COPY src/currency/ /build', 'RUN cmake /build'),
      'src/proxy/envoy.yaml': 'static_resources: {}\n',
      'src/proxy/Dockerfile': lines('FROM envoyproxy/envoy:v1.34.0', 'COPY src/proxy/envoy.yaml /etc/envoy/envoy.yaml'),
      'src/broker/Dockerfile': lines('FROM apache/kafka:3.9.1', 'COPY src/broker/server.properties /opt/kafka/config/'),
      'src/broker/server.properties': 'node.id=1\n',
      'src/api/go.mod': 'module example.com/api\n\ngo 1.24\n',
      'src/api/main.go': 'package main\n\nfunc main() {}\n',
      'src/api/Dockerfile': lines('FROM golang:1.24', 'COPY src/api/ .', 'RUN go build -o /api .'),
      'compose.yaml': lines(
        'services:',
        '  currency:',
        '    build:',
        '      context: ./',
        '      dockerfile: ${CURRENCY_DOCKERFILE}',
        '  proxy:',
        '    build: {context: ., dockerfile: src/proxy/Dockerfile}',
        '    ports: ["8080:8080"]',
        '  broker:',
        '    build: {context: ., dockerfile: src/broker/Dockerfile}',
        '  api:',
        '    build: {context: ., dockerfile: src/api/Dockerfile}',
        '  api-worker:',
        '    build: {context: ., dockerfile: src/api/Dockerfile}',
        '    command: ["/api", "worker"]',
      ),
    });
    expect(services).toEqual([
      ['api', 'src/api'],
      ['currency', 'src/currency'],
    ]);
    expect(infrastructure).toEqual(['broker', 'proxy']);
  });

  it('several Dockerfiles in one folder, built from the shared context, stay with the context', async () => {
    const { services } = await linked({
      'package.json': pkg('shop', ['fastify']),
      'src/main.ts': 'export {};\n',
      'docker/api.Dockerfile': lines('FROM node:22', 'COPY . .'),
      'docker/worker.Dockerfile': lines('FROM node:22', 'COPY . .'),
      'compose.yaml': lines(
        'services:',
        '  api:',
        '    build: {context: ., dockerfile: docker/api.Dockerfile}',
        '  worker:',
        '    build: {context: ., dockerfile: docker/worker.Dockerfile}',
      ),
    });
    // One service, named after the root package.
    expect(services).toEqual([['shop', '.']]);
  });

  // A root package.json with a framework dependency makes the repository "standalone"; a compose unit built from
  // context `.` whose Dockerfile puts it in apps/x is still that app, and the root package is a service only when a deployment runs it.
  it('the same with the framework dependencies at the root (Nest monorepo): each app keeps its own service', async () => {
    const { services } = await linked(monorepo({ dependencies: { '@nestjs/core': '11.0.0' } }));
    // admin, built from the root with a Dockerfile in a folder without code, deploys the root package (shop).
    expect(services).toEqual([
      ['orders', 'apps/orders'],
      ['payments', 'apps/payments'],
      ['shop', '.'],
    ]);
  });

  it('a framework root package that no deployment runs, beside its deployed apps, is no service', async () => {
    const files = monorepo({ dependencies: { '@nestjs/core': '11.0.0' } });
    files['docker-compose.yml'] = files['docker-compose.yml']!.replace(/\n  admin:[\s\S]*$/, '\n');
    const { services } = await linked(files);
    expect(services).toEqual([
      ['orders', 'apps/orders'],
      ['payments', 'apps/payments'],
    ]);
  });

  it('reads a lowercase dockerfile of the service folder (its HEALTHCHECK), as it reads Dockerfile', async () => {
    const { model } = await linked({
      'docker-compose.yml': lines('services:', '  orders:', '    build: ./orders', '  payments:', '    build: ./payments'),
      'orders/package.json': pkg('orders', ['fastify']),
      'orders/dockerfile': lines('FROM node:22', 'HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1', 'CMD ["node", "main.js"]'),
      'payments/package.json': pkg('payments', ['fastify']),
      'payments/dockerfile': lines('FROM node:22', 'CMD ["node", "main.js"]'),
    });
    expect(model.services.map((s) => [s.name, s.dir, s.dockerfile?.file, s.dockerfile?.healthcheck])).toEqual([
      ['orders', 'orders', 'orders/dockerfile', true],
      ['payments', 'payments', 'payments/dockerfile', false],
    ]);
  });
});

describe('link: image-only units', () => {
  it('an image built by a Maven (Jib) or Gradle (bootBuildImage) module links to that module by its name', async () => {
    const { services, infrastructure } = await linked({
      'docker-compose.yml': lines(
        'services:',
        '  orders:',
        '    image: ghcr.io/acme/orders-service:1.0.0',
        '  billing:',
        '    image: ghcr.io/acme/billing:latest',
        '  reports:',
        '    image: ghcr.io/acme/reports:1.0.0',
      ),
      'pom.xml': `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>shop</artifactId><version>1.0</version><modules><module>orders-service</module></modules></project>\n`,
      'orders-service/pom.xml': pom('orders-service'),
      'orders-service/src/main/java/com/acme/orders/Application.java': javaMain('orders'),
      'billing/build.gradle': "plugins { id 'org.springframework.boot' version '3.4.0' }\n",
      'billing/src/main/java/com/acme/billing/Application.java': javaMain('billing'),
    });
    // reports: no folder of that name; its image shares the registry path of the linked ones, so it stays a service.
    expect(services).toEqual([
      ['billing', 'billing'],
      ['orders', 'orders-service'],
      ['reports', null],
    ]);
    expect(infrastructure).toEqual([]);
  });
});

describe('link: infrastructure', () => {
  it('an image built from a local Dockerfile over mongo is infrastructure; one over node with a manifest is a service', async () => {
    const { services, infrastructure, model } = await linked({
      'docker-compose.yml': lines('services:', '  catalog-db:', '    build: ./catalog-db', '  catalog:', '    build: ./catalog'),
      'catalog-db/Dockerfile': lines('FROM mongo:7.0', 'COPY seed.js /docker-entrypoint-initdb.d/'),
      'catalog-db/seed.js': 'db.items.insertOne({ name: "x" });\n',
      'catalog/Dockerfile': lines('FROM node:22', 'COPY . .'),
      'catalog/package.json': pkg('catalog', ['fastify']),
    });
    expect(services).toEqual([['catalog', 'catalog']]);
    expect(infrastructure).toEqual(['catalog-db']);
    expect(model.infrastructure[0]!.reason).toMatch(/over database image mongo/);
  });

  it('a build folder that is missing keeps the service; named after an infrastructure product, it is that product', async () => {
    const { services, infrastructure } = await linked({
      'docker-compose.yml': lines('services:', '  legacy-billing:', '    build: ./legacy-billing', '  elasticsearch:', '    build: ./elasticsearch', '  orders:', '    build: ./orders'),
      'orders/package.json': pkg('orders', ['fastify']),
    });
    expect(services).toEqual([
      ['legacy-billing', 'legacy-billing'],
      ['orders', 'orders'],
    ]);
    expect(infrastructure).toEqual(['elasticsearch']);
  });

  it('an unknown image is third-party when first-party images name a registry path it does not share', async () => {
    const { services, infrastructure } = await linked({
      'docker-compose.yml': lines('services:', '  orders:', '    build: ./orders', '    image: registry.acme.io/shop/orders:1', '  cdc:', '    image: someorg/cdc-service:0.9', '  pricing:', '    image: registry.acme.io/shop/pricing:2'),
      'orders/package.json': pkg('orders', ['fastify']),
    });
    expect(services).toEqual([
      ['orders', 'orders'],
      ['pricing', null],
    ]);
    expect(infrastructure).toEqual(['cdc']);
  });

  it('an unknown image stays a service when first-party images name no registry path to compare with', async () => {
    const { services, infrastructure } = await linked({
      'docker-compose.yml': lines('services:', '  orders:', '    build: ./orders', '  cdc:', '    image: someorg/cdc-service:0.9'),
      'orders/package.json': pkg('orders', ['fastify']),
    });
    expect(services).toEqual([
      ['cdc', null],
      ['orders', 'orders'],
    ]);
    expect(infrastructure).toEqual([]);
  });
});

describe('link: Kubernetes', () => {
  const deployment = (name: string, labels: string) =>
    lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  template:',
      `    metadata: { labels: { ${labels} } }`,
      '    spec:',
      `      containers: [{ name: ${name}, image: "ghcr.io/acme/${name}:1" }]`,
    );
  const service = (name: string, selector: string) => lines('apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, 'spec:', `  selector: { ${selector} }`, '  ports: [{ port: 80 }]');

  it('the Services in front of a workload are its aliases; a Service selecting other pods is not', async () => {
    const { model } = await linked({
      'k8s/orders.yaml': `${deployment('orders', 'app: orders')}---\n${service('orders-api', 'app: orders')}`,
      'k8s/payments.yaml': `${deployment('payments', 'app: payments')}---\n${service('billing-gw', 'app: billing')}`,
    });
    expect(model.services.map((s) => [s.name, s.deployments.map((d) => d.aliases ?? [])])).toEqual([
      ['orders', [['orders-api']]],
      ['payments', [[]]],
    ]);
  });
});

describe('link: what a referenced library sets up', () => {
  const csproj = (exe: boolean, refs: string[] = []) =>
    lines(
      '<Project Sdk="Microsoft.NET.Sdk' + (exe ? '.Web' : '') + '">',
      '  <ItemGroup>',
      ...refs.map((r) => `    <ProjectReference Include="${r}" />`),
      '  </ItemGroup>',
      '</Project>',
    );
  const files = {
    'src/Defaults/Defaults.csproj': csproj(false),
    'src/Defaults/Extensions.cs': lines(
      'public static class Extensions {',
      '  public static WebApplication MapDefaultEndpoints(this WebApplication app) {',
      '    app.MapHealthChecks("/health");',
      '    return app;',
      '  }',
      '  public static void Telemetry(IServiceCollection services) {',
      '    services.AddOpenTelemetry().WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter());',
      '  }',
      '}',
    ),
    'src/Orders.Api/Orders.Api.csproj': csproj(true, ['..\\Defaults\\Defaults.csproj']),
    'src/Orders.Api/Program.cs': lines('var app = WebApplication.CreateBuilder(args).Build();', 'app.MapDefaultEndpoints();', 'app.Run();'),
    'src/Stock.Api/Stock.Api.csproj': csproj(true),
    'src/Stock.Api/Program.cs': lines('var app = WebApplication.CreateBuilder(args).Build();', 'app.Run();'),
    'compose.yaml': lines('services:', '  orders:', '    build: src/Orders.Api', '  stock:', '    build: src/Stock.Api'),
  };

  it("a breaker the library puts on every HttpClient (ConfigureHttpClientDefaults) guards the factory-made clients of the services that reference it", async () => {
    const withDefaults = {
      ...files,
      'src/Defaults/Resilience.cs': lines(
        'public static class Resilience {',
        '  public static void AddDefaults(IServiceCollection services) {',
        '    services.ConfigureHttpClientDefaults(http => {',
        '      http.AddStandardResilienceHandler();',
        '    });',
        '  }',
        '}',
      ),
      'src/Orders.Api/Clients.cs': lines(
        'public static class Clients {',
        '  public static void Add(IServiceCollection services) {',
        '    services.AddHttpClient<StockClient>(o => o.BaseAddress = new("http://stock"));',
        '  }',
        '}',
      ),
      'src/Stock.Api/Clients.cs': lines(
        'public static class Clients {',
        '  public static void Add(IServiceCollection services) {',
        '    services.AddHttpClient<OrdersClient>(o => o.BaseAddress = new("http://orders"));',
        '  }',
        '}',
      ),
    };
    const { model } = await linked(withDefaults);
    const { callGuarded } = await import('../../../src/check/rules/utils/evidence.js');
    const guarded = (name: string) => {
      const service = model.services.find((s) => s.name === name)!;
      return service.facts.calls.map((c) => [c.target, callGuarded(c, service)]);
    };
    // orders references the library: its typed client to stock is guarded; stock does not, so its call is not.
    expect(guarded('orders')).toEqual([['stock', true]]);
    expect(guarded('stock')).toEqual([['orders', false]]);
  });

  it("a library project's health endpoints and tracing count for the services that reference it, and only for them", async () => {
    const { model } = await linked(files);
    const facts = Object.fromEntries(model.services.map((s) => [s.name, s.facts]));
    expect(facts.orders?.health.map((h) => h.location.file)).toEqual(['src/Defaults/Extensions.cs']);
    expect(facts.orders?.tracing.length).toBeGreaterThan(0);
    expect(facts.stock?.health).toEqual([]);
    expect(facts.stock?.tracing).toEqual([]);
  });
});

describe('link: tools that are not services', () => {
  const deployment = (name: string) =>
    lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}}`,
      'spec:',
      '  template:',
      '    spec:',
      `      containers: [{name: ${name}, image: "acme/${name}:1.0"}]`,
      '---',
    );

  it('a load generator (locust, gatling, artillery) deployed beside the services is a tool, not a service; a Python service that calls others stays one', async () => {
    const { services, model } = await linked({
      'traffic/requirements.txt': 'locust==2.43.0\n',
      'traffic/locustfile.py': lines('from locust import HttpUser, task', '', 'class Shopper(HttpUser):', '    @task', '    def index(self):', '        self.client.get("/")'),
      'traffic/Dockerfile': lines('FROM python:3.13-slim', 'COPY . .', 'CMD ["locust"]'),
      'orders/requirements.txt': 'flask==3.1.0\nrequests==2.32.0\n',
      'orders/app.py': lines('import requests', 'from flask import Flask', 'app = Flask(__name__)', '', '@app.get("/orders")', 'def orders():', '    return requests.get("http://stock:8080/items").text'),
      'orders/Dockerfile': lines('FROM python:3.13-slim', 'COPY . .'),
      'k8s/app.yaml': [deployment('traffic'), deployment('orders'), deployment('stock')].join('\n'),
    });
    expect(services.map(([name]) => name)).toEqual(['orders', 'stock']);
    expect(model.infrastructure.find((i) => i.key === 'traffic')).toMatchObject({ role: 'other', reason: 'load generator (locust)' });
  });
});

describe('link: the image a build runs is its last stage', () => {
  it('code built over a bare OS image is first-party; a folder built over a proxy or load generator image in its last stage is that product', async () => {
    const { services, model } = await linked({
      'go.mod': 'module example.com/shop\n\ngo 1.24\n',
      'cmd/orders/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/orders/Dockerfile': lines('FROM golang:1.24 AS build', 'COPY . .', 'RUN go build -o /orders ./cmd/orders', 'FROM alpine:3.22', 'COPY --from=build /orders /orders'),
      'web/static/app.js': 'console.log(1);\n',
      'web/default.conf': 'server { listen 8080; }\n',
      'web/Dockerfile': lines('FROM alpine:3.22 AS build', 'RUN echo tracing module', 'FROM nginx:1.27', 'COPY static /usr/share/nginx/html'),
      'load/script.js': 'export default function () {}\n',
      'load/Dockerfile': lines('FROM golang:1.24 AS build', 'RUN go install go.k6.io/xk6/cmd/xk6@latest', 'FROM grafana/k6:1.3.0', 'COPY script.js /home/k6/'),
      'compose.yaml': lines('services:', '  orders:', '    build: {context: ., dockerfile: cmd/orders/Dockerfile}', '  web:', '    build: web', '  load:', '    build: load'),
    });
    expect(services).toEqual([['orders', 'cmd/orders']]);
    const reasons = Object.fromEntries(model.infrastructure.map((i) => [i.key, i.reason]));
    expect(reasons.web).toMatch(/over proxy image nginx:1\.27$/);
    expect(reasons.load).toMatch(/over load generator image grafana\/k6:1\.3\.0$/);
  });
});
