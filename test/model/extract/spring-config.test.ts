import { describe, expect, it } from 'vitest';
import springConfig from '../../../src/model/extract/spring-config.js';
import { runExtractor } from '../../helpers/extract.js';

const RES = 'orders/src/main/resources';

describe('spring-config extractor: settings', () => {
  it('flattens YAML to dotted keys with lines, profiles from the file name and from each document', async () => {
    const yaml = `spring:
  datasource:
    url: jdbc:postgresql://\${DB_HOST:localhost}:5432/orders
  cloud:
    gateway:
      routes:
        - id: a
---
spring:
  config:
    activate:
      on-profile: docker
  datasource.url: jdbc:postgresql://orders-db:5432/orders
`;
    const facts = await runExtractor(springConfig, `${RES}/application-dev.yml`, yaml);
    expect(facts?.settings?.map((s) => [s.key, s.value, s.profile, s.location.line])).toEqual([
      ['spring.datasource.url', 'jdbc:postgresql://${DB_HOST:localhost}:5432/orders', 'dev', 3],
      ['spring.cloud.gateway.routes[0].id', 'a', 'dev', 7],
      ['spring.config.activate.on-profile', 'docker', 'docker', 12],
      ['spring.datasource.url', 'jdbc:postgresql://orders-db:5432/orders', 'docker', 13],
    ]);
    expect(facts?.settings?.[0]).not.toHaveProperty('application');
  });

  it('reads .properties: separators, continuations, escapes, comments and #--- documents', async () => {
    const properties = `# a comment
yas.services.cart=http://cart/cart
! another comment
spring.application.name : orders
long.value = one,\\
  two
key\\:with\\=escapes=x
#---
spring.config.activate.on-profile=prod
yas.services.cart=http://cart.prod/cart
`;
    const facts = await runExtractor(springConfig, `${RES}/application.properties`, properties);
    expect(facts?.settings?.map((s) => [s.key, s.value, s.profile, s.location.line])).toEqual([
      ['yas.services.cart', 'http://cart/cart', null, 2],
      ['spring.application.name', 'orders', null, 4],
      ['long.value', 'one,two', null, 5],
      ['key:with=escapes', 'x', null, 7],
      ['spring.config.activate.on-profile', 'prod', 'prod', 9],
      ['yas.services.cart', 'http://cart.prod/cart', 'prod', 10],
    ]);
  });

  it('ignores files that are not Spring configuration, and test resources', async () => {
    expect(await runExtractor(springConfig, `${RES}/messages.properties`, 'greeting=hello\n')).toBeNull();
    expect(await runExtractor(springConfig, `${RES}/openapi.yml`, 'openapi: 3.0.0\n')).toBeNull();
    expect(await runExtractor(springConfig, 'orders/src/test/resources/application.yml', 'a: b\n')).toBeNull();
  });

  it('a YAML syntax error is a diagnostic with its line', async () => {
    const facts = await runExtractor(springConfig, `${RES}/application.yml`, 'server:\n  port: 8080\n bad: [\n');
    expect(facts?.diagnostics?.[0]).toMatchObject({ file: `${RES}/application.yml` });
    expect(facts?.diagnostics?.[0]?.line).toBeGreaterThan(1);
  });
});

describe('spring-config extractor: Spring Cloud Config repositories', () => {
  const server = { 'config/src/main/resources/application.yml': 'spring:\n  cloud:\n    config:\n      server:\n        native:\n          search-locations: classpath:/shared\n' };

  it('a file in the server search location is for the application it is named after; application.yml there is for every application', async () => {
    const named = await runExtractor(springConfig, 'config/src/main/resources/shared/orders-service.yml', 'spring:\n  data:\n    mongodb:\n      host: orders-db\n', server);
    expect(named?.settings).toEqual([{ key: 'spring.data.mongodb.host', value: 'orders-db', profile: null, application: 'orders-service', location: { file: 'config/src/main/resources/shared/orders-service.yml', line: 4 } }]);
    const profiled = await runExtractor(springConfig, 'config/src/main/resources/shared/orders-service-docker.yml', 'a: b\n', server);
    expect(profiled?.settings?.[0]).toMatchObject({ application: 'orders-service', profile: 'docker' });
    const shared = await runExtractor(springConfig, 'config/src/main/resources/shared/application.yml', 'a: b\n', server);
    expect(shared?.settings?.[0]).toMatchObject({ application: '*', profile: null });
  });

  it('the same files without a config server in the module are not configuration', async () => {
    expect(await runExtractor(springConfig, 'config/src/main/resources/shared/orders-service.yml', 'a: b\n')).toBeNull();
    const own = await runExtractor(springConfig, 'config/src/main/resources/application.yml', server['config/src/main/resources/application.yml'], server);
    expect(own?.settings?.[0]).not.toHaveProperty('application');
  });
});

describe('spring-config extractor: what keys show', () => {
  it('health exposure, tracing set-up and export', async () => {
    const facts = await runExtractor(
      springConfig,
      `${RES}/application.yml`,
      `management:
  endpoints:
    web:
      exposure:
        include: health,prometheus
  tracing:
    sampling:
      probability: 1.0
  otlp:
    tracing:
      endpoint: http://collector:4318/v1/traces
`,
    );
    expect(facts?.health?.map((e) => e.what)).toEqual(['management.endpoints.web.exposure.include=health,prometheus']);
    expect(facts?.tracing?.map((e) => e.location.line)).toEqual([8]);
    expect(facts?.traceExport?.map((e) => e.what)).toEqual(['management.otlp.tracing.endpoint=http://collector:4318/v1/traces']);
  });

  it('no health from an exposure without health; no tracing when switched off', async () => {
    const facts = await runExtractor(springConfig, `${RES}/application.properties`, 'management.endpoints.web.exposure.include=prometheus\nspring.sleuth.enabled=false\nspring.sleuth.sampler.probability=1\nspring.zipkin.enabled=false\nspring.zipkin.base-url=http://zipkin:9411\n');
    expect(facts?.health).toBeUndefined();
    expect(facts?.tracing).toBeUndefined();
    expect(facts?.traceExport).toBeUndefined();
  });

  it('breakers switched on by configuration; retries alone and a switch set to false are not breakers', async () => {
    const on = await runExtractor(
      springConfig,
      `${RES}/application.yml`,
      'feign:\n  hystrix:\n    enabled: true\nresilience4j:\n  circuitbreaker:\n    instances:\n      cart:\n        failure-rate-threshold: 50\n        sliding-window-size: 10\n',
    );
    expect(on?.breakers?.map((e) => [e.what, e.location.line])).toEqual([
      ['feign.hystrix.enabled=true', 3],
      ['resilience4j.circuitbreaker.instances.cart', 8],
    ]);
    const off = await runExtractor(springConfig, `${RES}/application.properties`, 'feign.circuitbreaker.enabled=false\nresilience4j.retry.instances.cart.max-attempts=3\n');
    expect(off?.breakers).toBeUndefined();
  });

  it('Spring Cloud Gateway routes (shortcut and full predicates, both property prefixes), breakers from route and default filters', async () => {
    const facts = await runExtractor(
      springConfig,
      `${RES}/application.yml`,
      `spring:
  cloud:
    gateway:
      routes:
        - id: orders
          uri: lb://orders
          predicates:
            - Path=/api/orders/**,/api/carts/**
          filters:
            - name: CircuitBreaker
              args:
                name: orders
        - id: ui
          uri: \${UI_URL:http://ui:3000}
          predicates:
            - name: Path
              args:
                patterns: /**
`,
    );
    expect(facts?.gateways?.[0]?.implementation).toBe('spring-cloud-gateway');
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.path, r.upstream, r.breaker])).toEqual([
      ['/api/orders/**', 'lb://orders', true],
      ['/api/carts/**', 'lb://orders', true],
      ['/**', '${UI_URL:http://ui:3000}', false],
    ]);
    const defaults = await runExtractor(
      springConfig,
      `${RES}/application.properties`,
      'spring.cloud.gateway.server.webflux.default-filters[0]=CircuitBreaker=all\nspring.cloud.gateway.server.webflux.routes[0].uri=http://orders:8080\nspring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/o/**\n',
    );
    expect(defaults?.gateways?.[0]?.routes).toEqual([{ path: '/o/**', host: null, upstream: 'http://orders:8080', breaker: true, location: { file: `${RES}/application.properties`, line: 2 } }]);
    expect(defaults?.breakers?.length).toBe(1);
  });

  it('Zuul routes: serviceId routes run in Hystrix commands, url routes do not', async () => {
    const facts = await runExtractor(springConfig, `${RES}/application.yml`, 'zuul:\n  routes:\n    auth:\n      path: /uaa/**\n      url: http://auth:5000\n    orders:\n      path: /orders/**\n      serviceId: orders-service\n    legacy: /legacy/**\n');
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.path, r.upstream, r.breaker])).toEqual([
      ['/uaa/**', 'http://auth:5000', false],
      ['/orders/**', 'lb://orders-service', true],
      ['/legacy/**', 'lb://legacy', true],
    ]);
  });

  it('Spring Cloud Stream bindings: role from the binding, broker from the binder when the file names it', async () => {
    const facts = await runExtractor(
      springConfig,
      `${RES}/application.yml`,
      `spring:
  cloud:
    stream:
      bindings:
        handleOrder-in-0:
          destination: orders
          group: billing
        publishInvoice-out-0:
          destination: invoices
        metrics:
          destination: telemetry
      kafka:
        binder:
          brokers: kafka:9092
`,
    );
    expect(facts?.messaging?.map((m) => [m.role, m.channel, m.broker, m.brokerUnknown])).toEqual([
      ['consumer', 'orders', 'kafka', undefined],
      ['producer', 'invoices', 'kafka', undefined],
    ]);
    const unnamed = await runExtractor(springConfig, `${RES}/application.properties`, 'spring.cloud.stream.bindings.input.destination=orders\nspring.rabbitmq.host=rabbitmq\n');
    expect(unnamed?.messaging).toEqual([{ broker: 'kafka', brokerUnknown: true, role: 'consumer', channel: 'orders', location: { file: `${RES}/application.properties`, line: 1 } }]);
  });

  it('broker connection settings alone are not producers or consumers', async () => {
    const facts = await runExtractor(springConfig, `${RES}/application.yml`, 'spring:\n  rabbitmq:\n    host: rabbitmq\n  kafka:\n    bootstrap-servers: kafka:9092\n');
    expect(facts?.messaging).toBeUndefined();
    expect(facts?.settings?.length).toBe(2);
  });
});
