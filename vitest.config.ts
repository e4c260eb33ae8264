import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', '*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
  },
});
