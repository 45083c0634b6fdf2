export interface Config {
  port: number;
  /** Defaults for clients created with `createServiceClient`. */
  httpClient: {
    timeoutMs: number;
  };
}
