import { describe, expect, it } from 'vitest';
import type { Setting } from '../../../src/model/facts.js';
import { effectiveSettings, resolvePlaceholders } from '../../../src/model/join/settings.js';
import { scan } from '../../../src/model/scan.js';
import { lines, repo } from '../../helpers/repo.js';

const setting = (key: string, value: string, profile: string | null = null, file = 'src/main/resources/application.yml'): Setting => ({ key, value, profile, location: { file, line: 1 } });

describe('join: effective settings and profiles', () => {
  const files = [
    setting('spring.datasource.url', 'jdbc:postgresql://localhost:5432/orders'),
    setting('orders.timeout', '5s'),
    setting('spring.datasource.url', 'jdbc:postgresql://orders-db:5432/orders', 'docker', 'src/main/resources/application-docker.yml'),
    setting('spring.datasource.url', 'jdbc:h2:mem:test', 'test', 'src/main/resources/application-test.yml'),
    setting('payments.url', 'http://payments-test', 'test', 'src/main/resources/application-test.yml'),
  ];

  it('the profile SPRING_PROFILES_ACTIVE names overrides the default file; the deployment overrides both', () => {
    const settings = effectiveSettings([setting('SPRING_PROFILES_ACTIVE', 'docker', null, 'compose.yaml'), setting('ORDERS_TIMEOUT', '9s', null, 'compose.yaml')], files);
    expect(settings.profiles).toEqual(['docker']);
    expect(settings.get('SPRING_DATASOURCE_URL')?.value).toBe('jdbc:postgresql://orders-db:5432/orders');
    expect(settings.get('orders.timeout')).toMatchObject({ value: '9s', location: { file: 'compose.yaml' } });
  });

  it('with no active profile the default file wins; other profiles fill only missing keys, test profiles never', () => {
    const settings = effectiveSettings([], files);
    expect(settings.profiles).toEqual([]);
    expect(settings.get('spring.datasource.url')?.value).toBe('jdbc:postgresql://localhost:5432/orders');
    expect(settings.get('payments.url')).toBeUndefined();
  });

  it('an active profile named in the default file counts; one given as a placeholder does not', () => {
    expect(effectiveSettings([], [...files, setting('spring.profiles.active', 'docker')]).get('spring.datasource.url')?.value).toBe('jdbc:postgresql://orders-db:5432/orders');
    expect(effectiveSettings([], [...files, setting('spring.profiles.active', '${PROFILE}')]).profiles).toEqual([]);
  });
});

describe('join: placeholders', () => {
  const settings = effectiveSettings([setting('DB_HOST', 'orders-db'), setting('LOOP', '${LOOP}'), setting('PORT', '5432')], []);

  it('resolves ${VAR}, ${VAR:default}, ${VAR:-default} and $(VAR) from the settings, relaxed-binding the keys', () => {
    expect(resolvePlaceholders('jdbc:postgresql://${DB_HOST:localhost}:${PORT}/orders', settings)).toBe('jdbc:postgresql://orders-db:5432/orders');
    expect(resolvePlaceholders('${db.host}', settings)).toBe('orders-db');
    expect(resolvePlaceholders('http://$(DB_HOST):$(PORT)', settings)).toBe('http://orders-db:5432');
  });

  it('takes the default when the key is unknown, keeps an unknown key without default as written, and ends a self-reference', () => {
    expect(resolvePlaceholders('${CACHE_HOST:localhost}/${CACHE_PORT:-6379}', settings)).toBe('localhost/6379');
    expect(resolvePlaceholders('http://${PAYMENTS_HOST}/x', settings)).toBe('http://${PAYMENTS_HOST}/x');
    expect(resolvePlaceholders('${LOOP}', settings)).toBe('${LOOP}');
  });
});

describe('join: settings in a scanned repository', () => {
  const springService = (composeEnv: string[]) => ({
    'docker-compose.yml': lines('services:', '  orders:', '    build: ./orders', ...(composeEnv.length ? ['    environment:', ...composeEnv.map((e) => `      ${e}`)] : []), '  orders-db:', '    image: postgres:17', '    environment:', '      POSTGRES_DB: app'),
    'orders/pom.xml': '<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>orders</artifactId><version>1</version></project>\n',
    'orders/src/main/java/com/acme/orders/App.java': 'package com.acme.orders;\n\npublic class App {}\n',
    'orders/src/main/resources/application.yml': lines('spring:', '  datasource:', '    url: jdbc:postgresql://${DB_HOST:localhost}:5432/orders'),
    'orders/src/main/resources/application-docker.yml': lines('spring:', '  datasource:', '    url: jdbc:postgresql://orders-db:5432/orders_docker'),
  });
  const databasesOf = async (files: Record<string, string>) => (await scan(repo(files))).services.find((s) => s.name === 'orders')!.databases;

  it('application-docker.yml applies when SPRING_PROFILES_ACTIVE=docker', async () => {
    expect(await databasesOf(springService(['SPRING_PROFILES_ACTIVE: docker']))).toEqual(['postgres://orders-db/orders_docker']);
  });

  it('without it the default file holds, its ${DB_HOST:localhost} resolved by the deployment (else localhost, no identity)', async () => {
    expect(await databasesOf(springService(['DB_HOST: orders-db']))).toEqual(['postgres://orders-db/orders']);
    expect(await databasesOf(springService([]))).toEqual([]);
  });

  it('.env values feed compose ${VAR}', async () => {
    const files = {
      'docker-compose.yml': lines('services:', '  orders:', '    image: acme/orders:1', '    environment:', '      DATABASE_URL: postgres://app@${DB_HOST}:5432/${DB_NAME:-orders}'),
    };
    expect(await databasesOf({ ...files, '.env': 'DB_HOST=main-db\nDB_NAME=sales\n' })).toEqual(['postgres://main-db/sales']);
    expect(await databasesOf(files)).toEqual([]);
  });
});
