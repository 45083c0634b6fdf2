export interface Config {
  port: number;
  /** RabbitMQ connection. */
  rabbitmq: { url: string; prefetch: number };
  /** Defaults for clients created with `createServiceClient`. */
  httpClient: {
    timeoutMs: number;
  };
}
