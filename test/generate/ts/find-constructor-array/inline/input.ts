// Generated before the array moved into a variable: the edit still finds it in place.
const sdk = new NodeSDK({
  serviceName: 'orders',
  instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
});
