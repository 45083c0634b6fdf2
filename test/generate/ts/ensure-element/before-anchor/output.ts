async function main(): Promise<void> {
  // Shutdown order matters.
  const closers: Closer[] = [
    { name: 'http', close: () => app.close() },
    { name: 'rabbitmq', close: () => rabbitmq.close() },
    { name: 'postgres', close: () => pool.end() }, // last user of the pool
    { name: 'tracing', close: () => shutdownTracing() },
  ];
  registerShutdown({ closers });
}
