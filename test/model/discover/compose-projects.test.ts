import { describe, expect, it } from 'vitest';
import { discoverCompose, isTestVariant } from '../../../src/model/discover/compose-projects.js';
import { createReader } from '../../../src/model/read.js';
import { scan } from '../../../src/model/scan.js';
import { lines, repo } from '../../helpers/repo.js';

/** Compose projects of a repository, as the discover step assembles them from the given files. */
function discover(files: Record<string, string>, composeFiles = Object.keys(files).filter((f) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/.test(f))) {
  return discoverCompose(createReader(repo(files)), composeFiles);
}

const serviceOf = (result: ReturnType<typeof discover>, key: string) => result.projects.flatMap((p) => p.services).find((s) => s.key === key);

describe('discover: compose projects', () => {
  it('merges compose.override.yaml over the base file, service by service', () => {
    const result = discover({
      'compose.yaml': lines('services:', '  orders:', '    image: acme/orders:1', '    environment:', '      LOG_LEVEL: info', '      PAYMENTS_URL: http://payments:8080'),
      'compose.override.yaml': lines('services:', '  orders:', '    build: ./orders', '    environment:', '      LOG_LEVEL: debug', '    ports: ["8081:8080"]'),
    });
    expect(result.projects.map((p) => p.files)).toEqual([['compose.yaml', 'compose.override.yaml']]);
    expect(serviceOf(result, 'orders')).toMatchObject({
      image: 'acme/orders:1',
      build: 'orders',
      ports: ['8081:8080'],
      environment: { LOG_LEVEL: 'debug', PAYMENTS_URL: 'http://payments:8080' },
    });
  });

  it('an override of another base file name does not apply to this base', () => {
    const result = discover({
      'compose.yaml': lines('services:', '  orders:', '    image: acme/orders:1', '    environment:', '      LOG_LEVEL: info'),
      'docker-compose.override.yml': lines('services:', '  orders:', '    environment:', '      LOG_LEVEL: debug'),
    });
    // The other file is a layer that changes no service the project has.
    expect(serviceOf(result, 'orders')!.environment).toEqual({ LOG_LEVEL: 'info' });
  });

  it('applies the files COMPOSE_FILE of the folder .env names, in its order', () => {
    const files = {
      'compose.yaml': lines('services:', '  orders:', '    image: acme/orders:1', '    environment:', '      MODE: base'),
      'compose.prod.yaml': lines('services:', '  orders:', '    environment:', '      MODE: prod'),
    };
    expect(serviceOf(discover({ ...files, '.env': 'COMPOSE_FILE=compose.yaml:compose.prod.yaml\n' }), 'orders')!.environment).toEqual({ MODE: 'prod' });
    // Without COMPOSE_FILE, the production variant is an alternative: it changes nothing the base has.
    expect(serviceOf(discover(files), 'orders')!.environment).toEqual({ MODE: 'base' });
  });

  it('finds a project whose compose files sit in a deploy folder', async () => {
    const root = repo({
      'deploy/docker-compose.yml': lines('services:', '  orders:', '    build: ../services/orders', '  orders-db:', '    image: postgres:17'),
      'services/orders/package.json': JSON.stringify({ name: 'orders', dependencies: { fastify: '5.0.0' } }),
      'services/orders/src/main.ts': 'export {};\n',
    });
    const model = await scan(root);
    expect(model.files.compose).toEqual(['deploy/docker-compose.yml']);
    expect(model.services.map((s) => [s.name, s.dir])).toEqual([['orders', 'services/orders']]);
    expect(model.infrastructure.map((i) => i.key)).toEqual(['orders-db']);
  });

  it('leaves test variants out: docker-compose.test.yml, *-tests.yml', () => {
    for (const file of ['docker-compose.test.yml', 'docker-compose-tests.yml', 'compose.e2e.yaml', 'deploy/docker-compose.ci.yml']) expect(isTestVariant(file), file).toBe(true);
    for (const file of ['docker-compose.yml', 'compose.override.yaml', 'docker-compose.prod.yml', 'docker-compose.contest.yml', 'docker-compose.latest.yml']) expect(isTestVariant(file), file).toBe(false);
    const result = discover({
      'docker-compose.yml': lines('services:', '  orders:', '    image: acme/orders:1'),
      'docker-compose.test.yml': lines('services:', '  orders-test-runner:', '    image: acme/orders-tests:1'),
      'docker-compose-tests.yml': lines('services:', '  selenium:', '    image: acme/e2e:1'),
    });
    expect(result.projects.map((p) => p.files)).toEqual([['docker-compose.yml']]);
    expect(result.projects.flatMap((p) => p.services.map((s) => s.key))).toEqual(['orders']);
  });

  it('a second file of the folder adds the services it alone has, and changes none the base has', () => {
    const result = discover({
      'docker-compose.yml': lines('services:', '  orders:', '    image: acme/orders:1', '    environment:', '      MODE: base'),
      'docker-compose.monitoring.yml': lines('services:', '  orders:', '    environment:', '      MODE: monitored', '  grafana:', '    image: grafana/grafana:11.0.0'),
    });
    expect(result.projects[0]!.files).toEqual(['docker-compose.yml', 'docker-compose.monitoring.yml']);
    expect(result.projects[0]!.services.map((s) => s.key).sort()).toEqual(['grafana', 'orders']);
    expect(serviceOf(result, 'orders')!.environment).toEqual({ MODE: 'base' });
  });

  it('follows include: into another folder, not into a test variant', () => {
    const result = discover(
      {
        'compose.yaml': lines('include:', '  - infra/compose.infra.yaml', '  - path: tests/docker-compose.test.yml', 'services:', '  orders:', '    image: acme/orders:1'),
        'infra/compose.infra.yaml': lines('services:', '  rabbitmq:', '    image: rabbitmq:4.1'),
        'tests/docker-compose.test.yml': lines('services:', '  runner:', '    image: acme/runner:1'),
      },
      ['compose.yaml'],
    );
    expect(result.projects.map((p) => p.files)).toEqual([['compose.yaml', 'infra/compose.infra.yaml']]);
    expect(result.projects[0]!.services.map((s) => s.key).sort()).toEqual(['orders', 'rabbitmq']);
  });

  it('applies extends: the base service first, then the service own values; a missing base leaves the service as written', () => {
    const result = discover({
      'compose.yaml': lines(
        'services:',
        '  orders:',
        '    extends:',
        '      file: common.yml',
        '      service: node-app',
        '    build: ./orders',
        '    environment:',
        '      SERVICE: orders',
        '  payments:',
        '    extends:',
        '      service: missing',
        '    image: acme/payments:1',
      ),
      'common.yml': lines('services:', '  node-app:', '    image: acme/node-base:1', '    healthcheck:', '      test: ["CMD", "true"]', '    environment:', '      LOG_LEVEL: info', '      SERVICE: base'),
    }, ['compose.yaml']);
    expect(serviceOf(result, 'orders')).toMatchObject({ key: 'orders', file: 'compose.yaml', build: 'orders', healthcheck: true, environment: { LOG_LEVEL: 'info', SERVICE: 'orders' } });
    expect(serviceOf(result, 'orders')!.extends).toBeUndefined();
    expect(serviceOf(result, 'payments')).toMatchObject({ image: 'acme/payments:1', healthcheck: false, environment: {} });
  });

  it('keeps two projects that clash (same service name, other build) apart; agreeing projects are one system', () => {
    const clash = discover({
      'docker-compose.yml': lines('services:', '  api:', '    build: ./api', '  web:', '    build: ./web'),
      'vendor/other-system/docker-compose.yml': lines('services:', '  api:', '    build: ./api', '  mailer:', '    build: ./mailer'),
    });
    expect(clash.projects.map((p) => p.dir)).toEqual(['.']);
    expect(clash.separate).toEqual([{ dir: 'vendor/other-system', reason: expect.stringContaining('its service api builds vendor/other-system/api') }]);
    expect(serviceOf(clash, 'mailer')).toBeUndefined();

    const agree = discover({
      'docker-compose.yml': lines('services:', '  api:', '    build: ./api'),
      'ops/docker-compose.yml': lines('services:', '  api:', '    build: ../api', '  worker:', '    build: ../worker'),
    });
    expect(agree.projects.map((p) => p.dir)).toEqual(['.', 'ops']);
    expect(agree.separate).toEqual([]);
  });
});
