import type { FastifyPluginAsync } from 'fastify';
import { runReadinessChecks, type ReadinessCheck } from './checks.js';

export interface HealthRoutesOptions {
  checks: readonly ReadinessCheck[];
  /** How long one check may take before it counts as failed. */
  timeoutMs?: number;
  /** True once shutdown began: readiness answers 503 without running the checks. */
  draining?: () => boolean;
}

const checkResult = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'error'] }, error: { type: 'string' } },
} as const;

const readiness = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: { type: 'object', additionalProperties: checkResult },
  },
} as const;

/**
 * `GET /health/live`: the process is up (restart it if this fails).
 * `GET /health/ready`: every dependency answers (route traffic to it only then).
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { checks, timeoutMs = 2000, draining = () => false }) => {
  // Probes hit these every few seconds: keep them out of the info-level request log.
  app.get('/health/live', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get(
    '/health/ready',
    { logLevel: 'warn', schema: { response: { 200: readiness, 503: readiness } } },
    async (request, reply) => {
      if (draining()) return reply.code(503).send({ status: 'unavailable', checks: { shutdown: { status: 'error', error: 'shutting down' } } });
      const report = await runReadinessChecks(checks, timeoutMs);
      if (report.status !== 'ok') request.log.warn({ readiness: report }, 'not ready');
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    },
  );
};
