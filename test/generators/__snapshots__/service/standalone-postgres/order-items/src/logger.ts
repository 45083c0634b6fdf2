import { pino, type Logger } from 'pino';
import { SERVICE_NAME, type Config } from './config.js';

export type { Logger };

/**
 * JSON logs on stdout; Fastify uses the same instance and adds request ids.
 * Writes are synchronous: no line is lost or reordered when the process
 * exits, and a closed stdout cannot stall shutdown.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: SERVICE_NAME },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
