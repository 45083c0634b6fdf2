/**
 * Kafka (kafkajs): one client per process. Startup fails when no broker
 * answers within kafkajs's bounded retries; after that kafkajs reconnects on
 * its own and `kafkaCheck` reports whether the cluster answers. One idempotent
 * producer (acks from every in-sync replica, one request in flight, so its
 * retries neither duplicate nor reorder records) serves the outbox relay and
 * the consumers' retry and dead-letter hand-offs; it connects on first use.
 */
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type ConsumerConfig, type LogEntry, type Producer } from 'kafkajs';
import type { Config } from '../config.js';
import type { ReadinessCheck } from '../health/checks.js';
import type { Logger } from '../logger.js';

/** The parts of kafkajs the messaging code uses: kafkajs satisfies them, tests pass in-memory stand-ins. */
export type KafkaSender = Pick<Producer, 'send'>;
export type KafkaConsumer = Pick<Consumer, 'connect' | 'subscribe' | 'run' | 'commitOffsets' | 'stop' | 'disconnect'>;
export type KafkaAdmin = Pick<Admin, 'createTopics'>;

export interface KafkaPort {
  readonly kafka: { consumer(config: ConsumerConfig): KafkaConsumer };
  /** Connected at startup. */
  readonly admin: KafkaAdmin;
  /** The shared idempotent producer, connected on first use. */
  producer(): Promise<KafkaSender>;
}

export interface KafkaBroker extends KafkaPort {
  readonly kafka: Kafka;
  readonly admin: Admin;
  producer(): Promise<Producer>;
  /** Disconnects the producer and the admin client; stop consumers first. */
  close(): Promise<void>;
}

export async function connectKafka(config: Config['kafka'], logger: Logger): Promise<KafkaBroker> {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: logLevel.INFO,
    logCreator: pinoLogCreator(logger),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw error;
  }
  logger.info({ brokers: config.brokers }, 'connected to kafka');

  let producer: Promise<Producer> | undefined;
  let closed = false;
  return {
    kafka,
    admin,
    producer() {
      if (closed) return Promise.reject(new Error('the kafka connection is closed'));
      producer ??= connectProducer(kafka).catch((error: unknown) => {
        producer = undefined;
        throw error;
      });
      return producer;
    },
    async close() {
      closed = true;
      const pending = producer;
      producer = undefined;
      await pending?.then(
        (p) => p.disconnect(),
        () => undefined,
      );
      await admin.disconnect();
    },
  };
}

async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
  return producer;
}

export function kafkaCheck(kafka: { readonly admin: Pick<Admin, 'describeCluster'> }): ReadinessCheck {
  return {
    name: 'kafka',
    async check() {
      const { brokers } = await kafka.admin.describeCluster();
      if (brokers.length === 0) throw new Error('no kafka broker available');
    },
  };
}

/** kafkajs logs through the service's logger, as JSON like every other line. */
function pinoLogCreator(logger: Logger) {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      const context = { namespace, ...fields };
      if (level === logLevel.ERROR) log.error(context, message);
      else if (level === logLevel.WARN) log.warn(context, message);
      else if (level === logLevel.INFO) log.info(context, message);
      else log.debug(context, message);
    };
}
