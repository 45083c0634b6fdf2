async function main(): Promise<void> {
  const readinessChecks: ReadinessCheck[] = [postgresCheck(pool)];
  const empty: string[] = [];
}
