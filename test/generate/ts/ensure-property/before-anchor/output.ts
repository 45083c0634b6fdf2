import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().default(3000),
  RABBITMQ_URL: z.url({ protocol: /^amqps?$/ }),
  RABBITMQ_PREFETCH: z.coerce.number().default(10),
  // Clients of other services.
  HTTP_CLIENT_TIMEOUT_MS: z.coerce.number().default(5000),
});
