import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, serviceUrlOf } from '../src/config.js';
import { testEnv } from './env.js';

const valid = testEnv;

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3100,
      logLevel: 'info',
      database: { url: valid.DATABASE_URL, poolMax: 10, migrateOnStart: true },
      httpClient: { timeoutMs: 5000, retries: 2 },
      services: {},
      otel: { disabled: false, serviceName: 'order-items', exporterEndpoint: undefined },
    });
  });

  it('reads and converts values', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      LOG_LEVEL: 'debug',
      MIGRATE_ON_START: 'false',
      OTEL_SDK_DISABLED: 'true',
      PAYMENTS_SERVICE_URL: 'http://payments:3000/',
      ORDER_ITEMS_SERVICE_URL: 'https://order-items.internal',
    });
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
    expect(config.database.migrateOnStart).toBe(false);
    expect(config.otel.disabled).toBe(true);
    expect(config.services).toEqual({ payments: 'http://payments:3000', 'order-items': 'https://order-items.internal' });
    expect(serviceUrlOf(config, 'payments')).toBe('http://payments:3000');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3100, logLevel: 'info' });
  });

  it('lists every invalid variable in one error', () => {
    const load = () =>
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', OTEL_SDK_DISABLED: 'maybe', PAYMENTS_SERVICE_URL: 'ftp://x' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const { problems, message } = error as ConfigError;
      const names = problems.map((p) => p.split(' ')[0]);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(
        expect.arrayContaining([
          'DATABASE_URL',
          'LOG_LEVEL',
          'OTEL_SDK_DISABLED',
          'PAYMENTS_SERVICE_URL',
          'PORT',
        ]),
      );
      expect(problems).toContain('DATABASE_URL is required');
      expect(problems).toContain('PAYMENTS_SERVICE_URL must be an http:// or https:// URL');
      expect(message).toMatch(/^Invalid configuration:\n {2}- /);
    }
  });

  it('rejects a database URL that is not postgres or names no database', () => {
    expect(() => loadConfig({ ...valid, DATABASE_URL: 'mysql://localhost/order_items' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadConfig({ ...valid, DATABASE_URL: 'postgres://localhost' })).toThrow(/DATABASE_URL must name a database/);
  });

  it('names the variable to set for an unknown service', () => {
    expect(() => serviceUrlOf(loadConfig(valid), 'order-items')).toThrow(/ORDER_ITEMS_SERVICE_URL is required/);
  });
});
