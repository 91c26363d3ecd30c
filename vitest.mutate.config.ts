// The test files `npm run mutate` runs (see stryker.config.mjs): `npm test`'s, less those that
// cannot see a mutant because they run the package in other processes (Deno, Bun, workerd,
// `npm pack` and tsc), and the Redis store's when no redis-server is installed.
import { spawnSync } from "node:child_process";
import { configDefaults, defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

const redis = spawnSync("redis-server", ["--version"]).status === 0;

export default mergeConfig(
  base,
  defineConfig({
    test: {
      isolate: true, // as test/MUTATION.md was measured: each file imports the package afresh
      exclude: [...configDefaults.exclude, ".stryker/**", "test/package.test.ts", "test/runtimes.test.ts", ...(redis ? [] : ["test/redis.test.ts"])],
    },
  }),
);
