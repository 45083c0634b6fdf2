export async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  await app.listen({ port: config.port });
}
