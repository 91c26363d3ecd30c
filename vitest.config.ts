import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/redis-setup.ts"], // a real redis-server for test/redis.test.ts: found, installed, or the Redis tests skipped saying so
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    // One test file per core: vitest's default leaves one core free (a single worker on a 2-core
    // machine), while many files here wait on child processes (tsc, npm, redis-server, workerd).
    maxWorkers: availableParallelism(),
    // The files of a worker share their modules: the generated package is imported once per
    // worker, not once per file (a fifth of the run's CPU). test/setup.ts restores, after every
    // test, what a file could leave behind: fake timers, spies, triggers it started.
    isolate: false,
  },
});
