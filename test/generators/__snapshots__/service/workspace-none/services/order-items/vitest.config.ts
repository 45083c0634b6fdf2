import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Keep configuration from a developer's shell or .env out of the tests.
    unstubEnvs: true,
  },
});
