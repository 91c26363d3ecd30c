import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/redis-setup.ts"], // a real redis-server for test/redis.test.ts: found, installed, or the Redis tests skipped saying so
    testTimeout: 60_000,
  },
});
