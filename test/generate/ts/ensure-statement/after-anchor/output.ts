export async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  const consumer = createConsumer(config);
  await app.listen({ port: config.port });
}
