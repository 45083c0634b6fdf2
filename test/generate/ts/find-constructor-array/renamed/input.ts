const instrumentations = ['not this one'];
function start() {
  const patches = [new HttpInstrumentation()] as const;
  return new NodeSDK({ instrumentations: patches });
}
