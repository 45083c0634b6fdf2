const instrumentations = ['not this one'];
function start() {
  const patches = [new HttpInstrumentation(), new PgInstrumentation()] as const;
  return new NodeSDK({ instrumentations: patches });
}
