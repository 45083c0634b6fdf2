/**
 * Every version a generated project receives, in one table.
 *
 * Templates reach these through the `version` and `image` helpers
 * (`{{version "fastify"}}`, `{{image "postgres"}}`); generators through
 * `ctx.addDependency`. An unknown name throws, so a typo never renders as an
 * empty string. Bump versions here, nowhere else.
 */

/** The Node.js release line generated projects target. */
export const node = {
  /** `engines.node` of generated projects. */
  engines: '>=22.15.0',
  /** Major used for `@types/node` and in prose. */
  major: 22,
} as const;

/**
 * npm's `allowScripts` for generated package.json files (npm 11.16+ warns about install scripts nobody reviewed,
 * npm 12 skips them): esbuild's postinstall (it checks its platform binary, under vitest and tsx) runs;
 * protobufjs's (under the OpenTelemetry SDK, it only prints a version-scheme hint) does not.
 */
export const allowScripts: Readonly<Record<string, boolean>> = { esbuild: true, protobufjs: false };

/** npm packages, pinned exactly. */
export const packages: Readonly<Record<string, string>> = {
  // service: runtime
  '@opentelemetry/api': '1.10.0',
  // messaging (add-producer / add-consumer)
  '@opentelemetry/instrumentation-amqplib': '0.71.0',
  '@opentelemetry/instrumentation-kafkajs': '0.33.0',
  amqplib: '2.3.1',
  kafkajs: '2.2.4',
  '@opentelemetry/exporter-trace-otlp-http': '0.301.2',
  '@opentelemetry/instrumentation': '0.301.2',
  '@opentelemetry/instrumentation-http': '0.301.2',
  '@opentelemetry/instrumentation-pg': '0.78.0',
  '@opentelemetry/instrumentation-undici': '0.34.0',
  '@opentelemetry/sdk-node': '0.301.2',
  fastify: '5.12.8',
  'import-in-the-middle': '3.6.0',
  'node-pg-migrate': '9.0.0',
  opossum: '10.0.0',
  pg: '8.23.1',
  pino: '10.4.0',
  zod: '4.6.7',
  // gateway (add-gateway). ioredis stays on 5.x: @fastify/rate-limit's Redis store is built and tested against it.
  '@fastify/http-proxy': '11.6.3',
  '@fastify/rate-limit': '11.2.0',
  'fastify-plugin': '6.0.1',
  '@opentelemetry/instrumentation-ioredis': '0.72.0',
  ioredis: '5.9.3',
  jose: '6.2.19',
  // service: development
  '@types/node': '22.20.7',
  '@types/opossum': '8.1.9',
  '@types/pg': '8.23.1',
  tsx: '4.23.15',
  typescript: '7.0.2',
  vitest: '5.1.2',
};

/** Container images, pinned tags (never `latest`). */
export const images: Readonly<Record<string, string>> = {
  node: 'node:22.23.3-bookworm-slim',
  postgres: 'postgres:17.7-alpine',
  'otel-collector': 'otel/opentelemetry-collector-contrib:0.128.0',
  jaeger: 'jaegertracing/jaeger:2.7.0',
  rabbitmq: 'rabbitmq:4.1.4-alpine',
  kafka: 'apache/kafka:4.1.0',
  redis: 'redis:8.2.2-alpine',
};

export function packageVersion(name: string): string {
  const v = packages[name];
  if (v === undefined) throw new Error(`No pinned version for package "${name}" in generate/versions.ts`);
  return v;
}

export function imageTag(name: string): string {
  const v = images[name];
  if (v === undefined) throw new Error(`No pinned image for "${name}" in generate/versions.ts`);
  return v;
}
