export const shutdown = async () => {
  await consumer.stop();
  await app.close();
};
