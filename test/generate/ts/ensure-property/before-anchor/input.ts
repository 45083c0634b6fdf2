import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().default(3000),
  // Clients of other services.
  HTTP_CLIENT_TIMEOUT_MS: z.coerce.number().default(5000),
});
