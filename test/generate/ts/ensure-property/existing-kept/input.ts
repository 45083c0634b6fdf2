export function loadConfig() {
  const e = read();
  if (!e) return undefined;
  return {
    port: e.PORT,
    rabbitmq: { url: e.MY_OWN_URL, prefetch: 50 },
    httpClient: { timeoutMs: e.HTTP_CLIENT_TIMEOUT_MS },
  };
}
