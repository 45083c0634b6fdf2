/**
 * In-memory stand-in for the parts of kafkajs the messaging code uses
 * (`KafkaPort` in src/messaging/kafka.ts): no broker runs in unit tests. A
 * topic is one partition (a list of records); a consumer group keeps committed
 * offsets; `run` hands one message at a time to `eachMessage` like kafkajs,
 * delivers a message again when `eachMessage` threw, and `stop` waits for the
 * message in hand. One member per consumer group.
 */
import type {
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachMessageHandler,
  IHeaders,
  KafkaMessage,
  Message,
  ProducerRecord,
  RecordMetadata,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import type { KafkaAdmin, KafkaConsumer, KafkaPort, KafkaSender } from '../../src/messaging/kafka.js';

/** A record as kafkajs delivers it: key, value and headers as Buffers. */
export interface StoredMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  offset: string;
  timestamp: string;
}

export class FakeKafka implements KafkaPort {
  private readonly topics = new Map<string, StoredMessage[]>();
  private readonly offsets = new Map<string, string>();
  private waiters: Array<() => void> = [];
  /** Every `send`, in order, including failed ones. */
  readonly sent: ProducerRecord[] = [];
  /** Consumers created, in order. */
  readonly consumers: FakeConsumer[] = [];
  /** How many of the next sends fail, as during a broker outage. */
  failSends = 0;

  readonly kafka = {
    consumer: (config: ConsumerConfig): FakeConsumer => {
      const consumer = new FakeConsumer(this, config.groupId);
      this.consumers.push(consumer);
      return consumer;
    },
  };

  readonly admin: KafkaAdmin = {
    createTopics: async ({ topics }) => {
      const missing = topics.filter(({ topic }) => !this.topics.has(topic));
      for (const { topic } of missing) this.topics.set(topic, []);
      return missing.length > 0;
    },
  };

  private readonly sender: KafkaSender = { send: (record) => this.send(record) };

  async producer(): Promise<KafkaSender> {
    return this.sender;
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  messages(topic: string): StoredMessage[] {
    return this.topics.get(topic) ?? [];
  }

  /** The group's committed offset (partition 0): the next offset it will read. */
  committed(groupId: string, topic: string): string | undefined {
    return this.offsets.get(`${groupId}/${topic}`);
  }

  /** The consumer of a group (the last one created). */
  member(groupId: string): FakeConsumer {
    const consumer = this.consumers.findLast((c) => c.groupId === groupId);
    if (!consumer) throw new Error(`no consumer in group ${groupId}`);
    return consumer;
  }

  /** Appends a record as another service's producer would. */
  append(topic: string, message: Message): StoredMessage {
    const log = this.topics.get(topic) ?? [];
    this.topics.set(topic, log);
    const stored: StoredMessage = {
      key: toBuffer(message.key),
      value: toBuffer(message.value),
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, headerBuffer(value)])),
      offset: String(log.length),
      timestamp: message.timestamp ?? String(Date.now()),
    };
    log.push(stored);
    this.wake();
    return stored;
  }

  commit(groupId: string, topic: string, offset: string): void {
    this.offsets.set(`${groupId}/${topic}`, offset);
  }

  /** Resolves on the next append or wake-up. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    this.sent.push(record);
    // kafkajs refuses the same for an idempotent producer.
    if (record.acks !== undefined && record.acks !== -1) throw new Error('an idempotent producer requires acks -1');
    if (this.failSends > 0) {
      this.failSends -= 1;
      throw new Error('There is no leader for this topic-partition as we are in the middle of a leadership election');
    }
    const stored = record.messages.map((message) => this.append(record.topic, message));
    return [{ topicName: record.topic, partition: 0, errorCode: 0, baseOffset: stored[0]?.offset ?? '0' }];
  }
}

export class FakeConsumer implements KafkaConsumer {
  private readonly subscriptions: Array<{ topic: string; fromBeginning: boolean }> = [];
  private readonly positions = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  /** The options `run` was called with. */
  runConfig: ConsumerRunConfig | undefined;
  /** The message `eachMessage` is working on. */
  inHand: { topic: string; offset: string } | undefined;
  heartbeats = 0;
  /** What `eachMessage` threw (kafkajs logs it and delivers the message again). */
  readonly errors: unknown[] = [];

  constructor(
    private readonly broker: FakeKafka,
    readonly groupId: string,
  ) {}

  async connect(): Promise<void> {}

  async subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    const topics = 'topics' in subscription ? subscription.topics : [subscription.topic];
    for (const topic of topics) {
      if (typeof topic !== 'string') throw new Error('the fake does not support RegExp subscriptions');
      this.subscriptions.push({ topic, fromBeginning: subscription.fromBeginning ?? false });
    }
  }

  async run(config: ConsumerRunConfig = {}): Promise<void> {
    const { eachMessage } = config;
    if (!eachMessage) throw new Error('the fake supports eachMessage only');
    this.runConfig = config;
    for (const { topic, fromBeginning } of this.subscriptions) {
      const committed = this.broker.committed(this.groupId, topic);
      this.positions.set(topic, committed !== undefined ? Number(committed) : fromBeginning ? 0 : this.broker.messages(topic).length);
    }
    this.running = true;
    this.loop = this.consume(eachMessage);
  }

  async commitOffsets(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    for (const { topic, partition, offset } of offsets) {
      if (partition !== 0) throw new Error(`the fake has one partition, not ${partition}`);
      this.broker.commit(this.groupId, topic, offset);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.broker.wake();
    await this.loop;
  }

  async disconnect(): Promise<void> {
    await this.stop();
  }

  private next(): { topic: string; index: number; message: StoredMessage } | undefined {
    for (const { topic } of this.subscriptions) {
      const index = this.positions.get(topic) ?? 0;
      const message = this.broker.messages(topic)[index];
      if (message) return { topic, index, message };
    }
    return undefined;
  }

  private async consume(eachMessage: EachMessageHandler): Promise<void> {
    while (this.running) {
      const next = this.next();
      if (!next) {
        await this.broker.changed();
        continue;
      }
      const { topic, index, message } = next;
      this.inHand = { topic, offset: message.offset };
      try {
        await eachMessage({
          topic,
          partition: 0,
          message: toKafkaMessage(message),
          heartbeat: async () => {
            this.heartbeats += 1;
          },
          pause: () => () => undefined,
        });
        // Like kafkajs: the position moves on in memory; only commitOffsets makes it durable.
        this.positions.set(topic, index + 1);
      } catch (error) {
        this.errors.push(error);
        await new Promise((resolve) => setTimeout(resolve, 5));
      } finally {
        this.inHand = undefined;
      }
    }
  }
}

function toKafkaMessage(message: StoredMessage): KafkaMessage {
  return { ...message, attributes: 0 };
}

function toBuffer(value: Buffer | string | null | undefined): Buffer | null {
  return value === null || value === undefined ? null : Buffer.from(value);
}

function headerBuffer(value: IHeaders[string]): Buffer | Buffer[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map((v) => Buffer.from(v)) : Buffer.from(value);
}
