/**
 * The Kafka connection with kafkajs's client replaced (no broker runs in unit
 * tests): startup connection, the one lazily connected idempotent producer,
 * close, readiness, and kafkajs logs through pino.
 */
import type { KafkaConfig, LogEntry, ProducerConfig } from 'kafkajs';
import { logLevel } from 'kafkajs';
import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { connectKafka, kafkaCheck } from '../../src/messaging/kafka.js';

const mocks = vi.hoisted(() => {
  const fn = () => ({ connect: vi.fn(async () => {}), disconnect: vi.fn(async () => {}) });
  return {
    configs: [] as KafkaConfig[],
    admin: { ...fn(), describeCluster: vi.fn(async () => ({ brokers: [{ nodeId: 1, host: 'kafka', port: 9092 }], controller: 1, clusterId: 'c' })) },
    producers: [] as Array<ReturnType<typeof fn> & { config: ProducerConfig | undefined }>,
    failProducerConnects: 0,
    fn,
  };
});

vi.mock('kafkajs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('kafkajs')>();
  class Kafka {
    constructor(config: KafkaConfig) {
      mocks.configs.push(config);
    }
    admin() {
      return mocks.admin;
    }
    producer(config?: ProducerConfig) {
      const producer = { ...mocks.fn(), config };
      producer.connect.mockImplementation(async () => {
        if (mocks.failProducerConnects > 0) {
          mocks.failProducerConnects -= 1;
          throw new Error('connection refused');
        }
      });
      mocks.producers.push(producer);
      return producer;
    }
  }
  return { ...actual, Kafka };
});

const silent = pino({ level: 'silent' });
const config = { brokers: ['kafka:9092'], clientId: 'test' };

beforeEach(() => {
  mocks.configs.length = 0;
  mocks.producers.length = 0;
  mocks.failProducerConnects = 0;
  vi.clearAllMocks();
});

describe('connectKafka', () => {
  it('connects at startup, and opens one idempotent producer on first use', async () => {
    const kafka = await connectKafka(config, silent);
    expect(mocks.configs[0]).toMatchObject({ brokers: ['kafka:9092'], clientId: 'test' });
    expect(mocks.admin.connect).toHaveBeenCalledOnce();
    expect(mocks.producers).toHaveLength(0);

    const [a, b] = await Promise.all([kafka.producer(), kafka.producer()]);
    expect(a).toBe(b);
    expect(mocks.producers).toHaveLength(1);
    expect(mocks.producers[0]?.config).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
    expect(mocks.producers[0]?.connect).toHaveBeenCalledOnce();
  });

  it('fails startup when no broker answers, leaving nothing connected', async () => {
    mocks.admin.connect.mockRejectedValueOnce(new Error('Connection error: connect ECONNREFUSED'));
    await expect(connectKafka(config, silent)).rejects.toThrow('ECONNREFUSED');
    expect(mocks.admin.disconnect).toHaveBeenCalledOnce();
  });

  it('tries a new producer after a failed connection', async () => {
    const kafka = await connectKafka(config, silent);
    mocks.failProducerConnects = 1;
    await expect(kafka.producer()).rejects.toThrow('connection refused');
    await expect(kafka.producer()).resolves.toBeDefined();
    expect(mocks.producers).toHaveLength(2);
  });

  it('close() disconnects the producer and the admin client, and refuses new sends', async () => {
    const kafka = await connectKafka(config, silent);
    await kafka.producer();
    await kafka.close();
    expect(mocks.producers[0]?.disconnect).toHaveBeenCalledOnce();
    expect(mocks.admin.disconnect).toHaveBeenCalledOnce();
    await expect(kafka.producer()).rejects.toThrow(/closed/);
  });

  it('writes kafkajs logs through the service logger', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    await connectKafka(config, logger);
    const entry: LogEntry = {
      namespace: 'Runner',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: new Date().toISOString(), message: 'Crash: KafkaJSNumberOfRetriesExceeded', logger: 'kafkajs', groupId: 'payments' },
    };
    mocks.configs[0]?.logCreator?.(logLevel.INFO)(entry);
    expect(lines.at(-1)).toMatchObject({ level: 50, component: 'kafkajs', namespace: 'Runner', groupId: 'payments', msg: 'Crash: KafkaJSNumberOfRetriesExceeded' });
  });
});

describe('kafkaCheck', () => {
  it('passes when the cluster answers with brokers', async () => {
    await expect(kafkaCheck({ admin: mocks.admin }).check()).resolves.toBeUndefined();
  });

  it('fails when no broker answers', async () => {
    mocks.admin.describeCluster.mockRejectedValueOnce(new Error('Connection error: connect ECONNREFUSED'));
    await expect(kafkaCheck({ admin: mocks.admin }).check()).rejects.toThrow('ECONNREFUSED');
  });
});
