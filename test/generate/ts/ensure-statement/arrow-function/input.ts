export const shutdown = async () => {
  await app.close();
};
