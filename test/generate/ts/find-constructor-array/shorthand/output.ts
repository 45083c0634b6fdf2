if (!disabled) {
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health/') ?? false,
    }),
    new UndiciInstrumentation(),
    new PgInstrumentation(),
  ];
  registerSyncHooks({ include: instrumentations.flatMap((each) => each.getModuleDefinitions().map((module) => module.name)) });
  sdk = new NodeSDK({ serviceName: 'orders', instrumentations });
}
