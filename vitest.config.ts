import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/redis-setup.ts"], // a real redis-server for test/redis.test.ts: found, installed, or the Redis tests skipped saying so
    testTimeout: 60_000,
    // One test file per core: vitest's default leaves one core free (a single worker on a 2-core
    // machine), while many files here wait on child processes (tsc, npm, redis-server, workerd).
    maxWorkers: availableParallelism(),
  },
});
