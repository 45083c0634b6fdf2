export async function main() {
  const config = loadConfig(); // keep me
  await app.listen({ port: config.port });
}
