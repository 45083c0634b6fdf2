/**
 * The service's RabbitMQ connection, with amqplib's automatic recovery: at
 * start-up a few attempts (an unreachable broker fails the deployment), then
 * reconnection forever with backoff. Channels do not survive a reconnect, so
 * consumers register their topology and `consume` with `onConnect`, which
 * runs on every (re)connection; publishers ask for the current confirm
 * channel. Readiness reports the connection.
 */
import { connect, type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import type { Config } from '../config.js';
import type { ReadinessCheck } from '../health/checks.js';
import type { Logger } from '../logger.js';

/** What a setup gets: a connection to open its channels on. */
export type Setup = (connection: { createConfirmChannel(): Promise<ConfirmChannel> }) => Promise<void>;

export interface RabbitMq {
  /** True while connected. */
  readonly connected: boolean;
  /** How many unacknowledged messages each consumer holds (RABBITMQ_PREFETCH). */
  readonly prefetch: number;
  /** Runs `setup` now (when connected) and after every reconnection. */
  onConnect(setup: Setup): Promise<void>;
  /** The confirm channel for publishing; a new one after a reconnect or a channel error. */
  publishChannel(): Promise<ConfirmChannel>;
  /** Messages the broker returned as unroutable (`mandatory`), by message id. */
  onReturn(listener: (message: Message) => void): () => void;
  close(): Promise<void>;
}

export async function connectRabbitMq(config: Config['rabbitmq'], logger: Logger): Promise<RabbitMq> {
  const setups: Setup[] = [];
  const returnListeners = new Set<(message: Message) => void>();
  let connected = false;
  let closing = false;
  let publisher: Promise<ConfirmChannel> | undefined;

  const connection = await connect(config.url, {
    clientProperties: { connection_name: process.env.OTEL_SERVICE_NAME ?? 'service' },
    recovery: {
      initialMaxRetries: 5,
      maxRetries: Infinity,
      initialDelay: 200,
      maxDelay: 10_000,
      async setup(model: ChannelModel) {
        connected = true;
        publisher = undefined;
        for (const setup of setups) await setup(model);
      },
    },
  });
  connected = true;
  connection.on('connect', () => {
    connected = true;
    logger.info('rabbitmq: connected');
  });
  connection.on('disconnect', (err: Error) => {
    connected = false;
    publisher = undefined;
    if (!closing) logger.warn({ err }, 'rabbitmq: connection lost; reconnecting');
  });
  connection.on('error', (err: Error) => logger.error({ err }, 'rabbitmq: connection error'));
  connection.on('handler-error', (err: Error) => logger.error({ err }, 'rabbitmq: error in an event handler'));

  function openPublisher(): Promise<ConfirmChannel> {
    const opening = connection.createConfirmChannel().then((channel) => {
      channel.on('error', (err: Error) => logger.warn({ err }, 'rabbitmq: publish channel error'));
      channel.on('close', () => {
        if (publisher === opening) publisher = undefined;
      });
      channel.on('return', (message: Message) => {
        for (const listener of returnListeners) listener(message);
      });
      return channel;
    });
    opening.catch(() => {
      if (publisher === opening) publisher = undefined;
    });
    return opening;
  }

  return {
    get connected() {
      return connected;
    },
    prefetch: config.prefetch,
    async onConnect(setup) {
      setups.push(setup);
      // `setup` of amqplib's recovery covers reconnections; the first run is ours.
      await connection.waitForConnect();
      await setup(connection);
    },
    publishChannel() {
      publisher ??= openPublisher();
      return publisher;
    },
    onReturn(listener) {
      returnListeners.add(listener);
      return () => void returnListeners.delete(listener);
    },
    async close() {
      closing = true;
      await connection.close().catch((err: unknown) => logger.warn({ err }, 'rabbitmq: error while closing'));
    },
  };
}

export function rabbitmqCheck(rabbitmq: RabbitMq): ReadinessCheck {
  return {
    name: 'rabbitmq',
    async check() {
      if (!rabbitmq.connected) throw new Error('not connected to RabbitMQ');
    },
  };
}
