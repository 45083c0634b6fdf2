async function main(): Promise<void> {
  const closers: Closer[] = [
    { name: 'http', close: () => app.close() },
    // The user's own version of the closer: kept, not duplicated.
    { name: 'rabbitmq', close: async () => { await rabbitmq.close(); } },
    { name: 'postgres', close: () => pool.end() },
  ];
}
