const envSchema = z.object({
  PORT: z.coerce.number().default(3000),
  MESSAGING_MAX_RETRIES: z.coerce.number().default(5), // the user's own default
  HTTP_CLIENT_TIMEOUT_MS: z.coerce.number().default(5000),
});
