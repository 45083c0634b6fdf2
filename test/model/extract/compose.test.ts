import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyMergeKeys, composeIncludes, infraRole, readCompose as readWith } from '../../../src/model/extract/compose.js';
import { createReader } from '../../../src/model/read.js';
import type { ComposeService, Diagnostic } from '../../../src/model/types.js';
import { tmpDir } from '../../helpers/tmp.js';

/** readCompose with a fresh reader of `root`, its diagnostics appended to `diagnostics`. */
function readCompose(root: string, rel: string, diagnostics: Diagnostic[]): ComposeService[] | null {
  const reader = createReader(root);
  const services = readWith(reader, rel);
  diagnostics.push(...reader.diagnostics);
  return services;
}

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/repos/${name}/`, import.meta.url));

function repo(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const service = (over: Partial<ComposeService> & Pick<ComposeService, 'key' | 'line'>): ComposeService => ({
  file: 'compose.yaml',
  image: null,
  build: null,
  ports: [],
  expose: [],
  healthcheck: false,
  dependsOn: [],
  replicas: null,
  environment: {},
  dockerfile: null,
  containerName: null,
  hostnames: [],
  mounts: [],
  labels: {},
  ...over,
});

describe('readCompose', () => {
  it('reads the polyglot fixture: interpolation from .env, env_file, both port syntaxes, health checks, replicas', () => {
    const diagnostics: Diagnostic[] = [];
    expect(readCompose(fixture('polyglot-compose'), 'compose.yaml', diagnostics)).toEqual([
      service({ key: 'gateway', line: 9, image: 'nginx:1.27-alpine', ports: ['8088:80'], dependsOn: ['catalog', 'orders', 'recommendations'] }),
      service({
        key: 'catalog',
        line: 15,
        image: 'registry.example.com/shop/catalog:dev',
        build: 'catalog',
        expose: ['8080'],
        healthcheck: true,
        dependsOn: ['catalog-db'],
        replicas: 2,
        environment: {
          // env_file config/catalog.env, interpolated against .env …
          CACHE_URL: 'redis://cache:6379/0',
          REGISTRY_MIRROR: 'registry.example.com/shop/mirror',
          TLS_CA: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
          // … then `environment`, which wins (LOG_LEVEL is empty in .env: `:-` takes the default)
          LOG_LEVEL: 'info',
          ORDERS_URL: 'http://orders:8080',
          DATABASE_URL: 'postgres://catalog:s3cr"et@catalog-db:5432/catalog',
        },
      }),
      service({
        key: 'orders',
        line: 34,
        build: 'orders',
        dockerfile: 'orders/Dockerfile',
        ports: ['8081:8080', '127.0.0.1:5005:5005', '9999/udp'],
        dependsOn: ['kafka', 'orders-db'],
        replicas: 2,
        environment: {
          // config/orders.env is absent: its committed .example stands in; config/missing.env has neither
          PAYMENTS_URL: 'http://payments:8080',
          // a bare name takes its value from .env, over the env_file
          PAYMENTS_TOKEN: 'tok-$NOT_INTERPOLATED',
          SPRING_DATASOURCE_URL: 'jdbc:postgresql://orders-db:5432/orders',
          KAFKA_BROKERS: 'kafka:9092',
          PRICE_TEMPLATE: '$5 per item',
        },
      }),
      service({
        key: 'recommendations',
        line: 64,
        build: 'recommendations',
        environment: { CATALOG_URL: 'http://catalog:8080', MODEL_PATH: '/current', WORKERS: '4', DEBUG: '' },
      }),
      service({ key: 'catalog-db', line: 75, image: 'postgres:17.2-alpine', healthcheck: true, environment: { POSTGRES_DB: 'catalog', POSTGRES_PASSWORD: 's3cr"et' } }),
      service({ key: 'orders-db', line: 83, image: 'postgres:17.2-alpine', environment: { POSTGRES_DB: 'orders' } }),
      service({ key: 'kafka', line: 88, image: 'apache/kafka:3.9.0' }),
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('returns null for a missing file', () => {
    expect(readCompose(tmpDir(), 'compose.yaml', [])).toBeNull();
  });

  it('reports malformed YAML with its line', () => {
    const diagnostics: Diagnostic[] = [];
    expect(readCompose(fixture('hostile'), 'docker-compose.broken.yml', diagnostics)).toEqual([]);
    expect(diagnostics).toEqual([{ file: 'docker-compose.broken.yml', line: 4, message: 'cannot parse YAML: All mapping items must start at the same column' }]);
  });

  it('reads nothing from a file without a services map', () => {
    const root = repo({ 'compose.yaml': 'services: [a, b]\n', 'other.yaml': 'name: x\n' });
    expect(readCompose(root, 'compose.yaml', [])).toEqual([]);
    expect(readCompose(root, 'other.yaml', [])).toEqual([]);
  });

  it('resolves paths, .env and env_file relative to a nested compose file, with merge keys', () => {
    const root = repo({
      'deploy/local/.env.example': 'TAG=1.2.3\nSHARED=from-example\n',
      'deploy/local/app.env': 'FROM_FILE=${TAG}\nSHARED=from-file\n',
      'deploy/local/compose.yaml': [
        'x-common: &common',
        '  env_file: app.env',
        '  healthcheck: { test: "curl -f localhost" }',
        'x-more: &more',
        '  image: base:${TAG}',
        '  expose: [9000]',
        'services:',
        '  api:',
        '    <<: [*common, *more]',
        '    image: api:${TAG}',
        '    build:',
        '      dockerfile: Dockerfile.dev',
        '  worker:',
        '    <<: *common',
        '    build: ../../services/worker/',
        '    environment: [SHARED, "EMPTY="]',
        '  remote:',
        '    build: https://github.com/acme/remote.git#main',
        '  ssh:',
        '    build: git@github.com:acme/ssh.git',
        '',
      ].join('\n'),
    });
    expect(readCompose(root, 'deploy/local/compose.yaml', [])).toEqual([
      service({
        file: 'deploy/local/compose.yaml',
        key: 'api',
        line: 8,
        image: 'api:1.2.3',
        build: 'deploy/local',
        // `build:` without a context: an override keeps the base file's context (discover/compose-projects.ts).
        buildContextSet: false,
        dockerfile: 'deploy/local/Dockerfile.dev',
        expose: ['9000'],
        healthcheck: true,
        environment: { FROM_FILE: '1.2.3', SHARED: 'from-file' },
      }),
      service({ file: 'deploy/local/compose.yaml', key: 'worker', line: 13, build: 'services/worker', healthcheck: true, environment: { FROM_FILE: '1.2.3', SHARED: 'from-example', EMPTY: '' } }),
      service({ file: 'deploy/local/compose.yaml', key: 'remote', line: 17 }),
      service({ file: 'deploy/local/compose.yaml', key: 'ssh', line: 19 }),
    ]);
  });

  it('prefers .env to its example, and never reads the shell environment', () => {
    process.env.ARCHKIT_TEST_SHELL_ONLY = 'shell';
    try {
      const root = repo({
        '.env': 'PORT=7000\n',
        '.env.example': 'PORT=1\n',
        'compose.yaml': 'services:\n  api:\n    ports: ["${PORT}:80", "${ARCHKIT_TEST_SHELL_ONLY:-none}:81"]\n',
      });
      expect(readCompose(root, 'compose.yaml', [])).toEqual([service({ key: 'api', line: 2, ports: ['7000:80', 'none:81'] })]);
    } finally {
      delete process.env.ARCHKIT_TEST_SHELL_ONLY;
    }
  });

  it('reads health checks, dependencies and replicas in all their forms', () => {
    const root = repo({
      'compose.yaml': [
        'services:',
        '  none-string: { healthcheck: { test: NONE } }',
        '  none-list: { healthcheck: { test: ["NONE"] } }',
        '  empty-list: { healthcheck: { test: [] } }',
        '  interval-only: { healthcheck: { interval: 5s } }',
        '  disabled: { healthcheck: { disable: true, test: ["CMD", "true"] } }',
        '  shell: { healthcheck: { test: ["CMD-SHELL", "curl -f localhost"] } }',
        '  deps-list: { depends_on: [b, a, b] }',
        '  deps-map: { depends_on: { z: { condition: service_healthy }, y: { condition: service_started } } }',
        '  replicas-string: { deploy: { replicas: "3" } }',
        '  replicas-bad: { deploy: { replicas: many }, scale: -1 }',
        '  replicas-over-scale: { deploy: { replicas: 0 }, scale: 4 }',
        '  scale: { scale: 5 }',
        '  ports: { ports: [8080, "9090:9090", { target: 80 }, { published: 1 }, [x]] }',
        '  empty:',
        '',
      ].join('\n'),
    });
    const got = readCompose(root, 'compose.yaml', [])!;
    expect(got.map((s) => [s.key, s.line, s.healthcheck, s.dependsOn, s.replicas, s.ports])).toEqual([
      ['none-string', 2, false, [], null, []],
      ['none-list', 3, false, [], null, []],
      ['empty-list', 4, false, [], null, []],
      ['interval-only', 5, false, [], null, []],
      ['disabled', 6, false, [], null, []],
      ['shell', 7, true, [], null, []],
      ['deps-list', 8, false, ['a', 'b'], null, []],
      ['deps-map', 9, false, ['y', 'z'], null, []],
      ['replicas-string', 10, false, [], 3, []],
      ['replicas-bad', 11, false, [], null, []],
      ['replicas-over-scale', 12, false, [], 0, []],
      ['scale', 13, false, [], 5, []],
      ['ports', 14, false, [], null, ['8080', '9090:9090', '80']],
      ['empty', 15, false, [], null, []],
    ]);
  });

  it('reports a service that cannot be converted (alias bomb) and keeps the others', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`)];
    const root = repo({
      'compose.yaml': ['x-bomb:', ...bomb.map((l) => `  ${l}`), 'services:', '  evil:', '    environment: *f', '  fine:', '    image: ok:1', ''].join('\n'),
    });
    const diagnostics: Diagnostic[] = [];
    expect(readCompose(root, 'compose.yaml', diagnostics)).toEqual([service({ key: 'fine', line: 11, image: 'ok:1' })]);
    expect(diagnostics).toEqual([{ file: 'compose.yaml', line: 9, message: 'cannot read service "evil": Excessive alias count indicates a resource exhaustion attack' }]);
  });
});

describe('applyMergeKeys', () => {
  it('lets written keys win, then earlier merge sources, shallowly', () => {
    expect(applyMergeKeys({ '<<': [{ a: 1, b: 1, n: { x: 1 } }, { b: 2, c: 2 }], c: 3, list: [{ '<<': { d: 4 } }] })).toEqual({ a: 1, b: 1, n: { x: 1 }, c: 3, list: [{ d: 4 }] });
  });
});

describe('infraRole', () => {
  it.for([
    ['postgres:17.2-alpine', { role: 'database', engine: 'postgres' }],
    ['registry.local:5000/team/postgres:17', { role: 'database', engine: 'postgres' }],
    ['docker.io/library/mongo@sha256:abc', { role: 'database', engine: 'mongodb' }],
    ['bitnami/kafka:3.9', { role: 'broker', engine: 'kafka' }],
    ['valkey/valkey:8', { role: 'cache', engine: 'redis' }],
    ['otel/opentelemetry-collector-contrib:0.115.0', { role: 'observability', engine: 'otel' }],
    ['registry.example.com/shop/catalog:dev', null],
    [null, null],
  ] as const)('%s', ([image, expected]) => {
    expect(infraRole(image)).toEqual(expected);
  });
});

describe('composeIncludes', () => {
  it('lists the included files inside the repository, refuses those outside, whatever the rest of the file holds', () => {
    // 150 services sharing one anchor: the whole-document conversion refused more than 100 aliases and lost the includes.
    const services = Array.from({ length: 150 }, (_, i) => `  s${i}: {<<: *d, image: "img-${i}"}`);
    const root = repo({
      'deploy/compose.yaml': `include:\n  - ../infra/compose.yaml\n  - path: [db.yaml, ../../../etc/compose.yaml]\nx-d: &d {restart: always}\nservices:\n${services.join('\n')}\n`,
    });
    const reader = createReader(root);
    expect(composeIncludes(reader, 'deploy/compose.yaml')).toEqual(['infra/compose.yaml', 'deploy/db.yaml']);
    expect(reader.diagnostics).toEqual([{ file: 'deploy/compose.yaml', message: 'refers to "../../../etc/compose.yaml", outside the repository: not read' }]);
  });
});
