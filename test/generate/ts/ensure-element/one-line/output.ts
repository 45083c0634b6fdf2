async function main(): Promise<void> {
  const readinessChecks: ReadinessCheck[] = [postgresCheck(pool), rabbitmqCheck(rabbitmq)];
  const empty: string[] = [
    'a'
  ];
}
