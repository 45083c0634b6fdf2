import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mergeComposeFragment } from '../../src/generate/yaml/compose.js';

const target = `# my stack — keep this comment
name: shop

services:
  # the collector, hand-tuned
  otel-collector:
    image: otel/opentelemetry-collector-contrib:0.128.0 # pinned on purpose
  legacy:
    image: example/legacy:1.2.3
    environment:
      MODE: "strict"
`;

/** What add-producer merges for RabbitMQ, in short: the service waits for the broker and gets its URL; the broker. */
const rabbitFragment = `services:
  orders:
    depends_on:
      rabbitmq:
        condition: service_healthy
    environment:
      RABBITMQ_URL: amqp://archkit@rabbitmq:5672
      EXTRA: "1"
  rabbitmq:
    image: rabbitmq:4.1.4-alpine
`;

const fragment = `services:
  orders:
    build:
      context: ./services/orders
    depends_on:
      orders-db:
        condition: service_healthy
  orders-db:
    image: postgres:17.7-alpine
volumes:
  orders-db-data: {}
`;

describe('mergeComposeFragment', () => {
  it('adds missing entries and keeps comments, order and other entries', () => {
    const result = mergeComposeFragment('compose.yaml', target, fragment);
    expect(result.changed).toEqual(['services.orders', 'services.orders-db', 'volumes.orders-db-data']);
    expect(result.text).toContain('# my stack — keep this comment');
    expect(result.text).toContain('# the collector, hand-tuned');
    expect(result.text).toContain('# pinned on purpose');
    expect(result.text).toContain('MODE: "strict"');
    const json = parse(result.text) as { services: Record<string, unknown>; volumes: Record<string, unknown> };
    expect(Object.keys(json.services)).toEqual(['otel-collector', 'legacy', 'orders', 'orders-db']);
    expect(json.volumes).toEqual({ 'orders-db-data': {} });
  });

  it('is idempotent: a second merge changes nothing, byte for byte', () => {
    const once = mergeComposeFragment('compose.yaml', target, fragment).text;
    const twice = mergeComposeFragment('compose.yaml', once, fragment);
    expect(twice.changed).toEqual([]);
    expect(twice.text).toBe(once);
  });

  it("keeps a user's edited entry unless forced", () => {
    const once = mergeComposeFragment('compose.yaml', target, fragment).text;
    const edited = once.replace('postgres:17.7-alpine', 'postgres:16-alpine # mine');
    const kept = mergeComposeFragment('compose.yaml', edited, fragment);
    expect(kept.kept).toEqual(['services.orders-db']);
    expect(kept.text).toBe(edited);
    const forced = mergeComposeFragment('compose.yaml', edited, fragment, { force: true });
    expect(forced.changed).toEqual(['services.orders-db']);
    expect(forced.text).toContain('postgres:17.7-alpine');
  });

  it('creates missing sections in an empty document', () => {
    const result = mergeComposeFragment('compose.yaml', '', fragment);
    expect(parse(result.text)).toMatchObject({ services: { orders: {}, 'orders-db': {} } });
  });

  it('refuses unparseable YAML with the file name', () => {
    expect(() => mergeComposeFragment('compose.yaml', 'services: [\n', fragment)).toThrow(/compose\.yaml: cannot parse YAML/);
  });

  it('deep: adds depends_on and environment keys to an existing service, keeps the user\'s values', () => {
    const base = `services:
  orders:
    # the user's note
    depends_on:
      orders-db:
        condition: service_healthy
    environment:
      PORT: "3000"
      RABBITMQ_URL: amqp://mine@rabbitmq:5672
`;
    const frag = rabbitFragment;
    const result = mergeComposeFragment('compose.yaml', base, frag, { deep: true });
    const merged = parse(result.text) as { services: Record<string, { depends_on: object; environment: Record<string, string> }> };
    expect(Object.keys(merged.services.orders!.depends_on)).toEqual(['orders-db', 'rabbitmq']);
    expect(merged.services.orders!.environment).toEqual({ PORT: '3000', RABBITMQ_URL: 'amqp://mine@rabbitmq:5672', EXTRA: '1' });
    expect(result.kept).toEqual(['services.orders.environment.RABBITMQ_URL']);
    expect(result.changed).toEqual(['services.orders.depends_on.rabbitmq', 'services.orders.environment.EXTRA', 'services.rabbitmq']);
    expect(result.text).toContain("# the user's note");
    expect(mergeComposeFragment('compose.yaml', result.text, frag, { deep: true }).text).toBe(result.text);
    const forced = mergeComposeFragment('compose.yaml', base, frag, { deep: true, force: true });
    expect((parse(forced.text) as typeof merged).services.orders!.environment.RABBITMQ_URL).toBe('amqp://archkit@rabbitmq:5672');
  });

  it('never adds what x-archkit.omit names, nor depends_on on it; what exists is merged as usual', () => {
    const base = `x-archkit:
  omit: [rabbitmq, rabbitmq-data]
services:
  orders:
    environment:
      PORT: "3000"
`;
    const frag = `${rabbitFragment}volumes:
  rabbitmq-data:
`;
    const result = mergeComposeFragment('compose.yaml', base, frag, { deep: true });
    expect(parse(result.text)).toEqual({
      'x-archkit': { omit: ['rabbitmq', 'rabbitmq-data'] },
      services: { orders: { environment: { PORT: '3000', RABBITMQ_URL: 'amqp://archkit@rabbitmq:5672', EXTRA: '1' } } },
    });
    expect(result.changed).toEqual(['services.orders.environment.RABBITMQ_URL', 'services.orders.environment.EXTRA']);
    // Without the list, the same merge adds them.
    const plain = parse(mergeComposeFragment('compose.yaml', base.replace(/^x-archkit:\n.*\n/, ''), frag, { deep: true }).text) as { services: object; volumes: object };
    expect(Object.keys(plain.services)).toEqual(['orders', 'rabbitmq']);
    expect(Object.keys(plain.volumes)).toEqual(['rabbitmq-data']);
  });
});
