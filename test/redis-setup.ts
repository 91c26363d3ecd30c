// Vitest global set-up: a real redis-server for test/redis.test.ts and test/queue.test.ts (BullMQ). Taken from REDIS_SERVER or
// PATH; where it is missing, installed as .ci/run does (Debian's package, through apt-get as root
// or password-less sudo); where that cannot be done, the Redis tests are skipped with one line
// saying how to run them, except under CI=true, where they are required.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The redis-server to run, or "" when the Redis tests are skipped. */
    redisServer: string;
  }
}

const howToEnable = "install it (sudo apt-get install redis-server) or set REDIS_SERVER=/path/to/redis-server to run them";

export default async function setup(project: TestProject): Promise<void> {
  project.provide("redisServer", "");
  const filters = project.vitest.config.filters ?? [];
  const { testFiles } = await project.globTestFiles(filters);
  if (!testFiles.some((file) => ["redis.test.ts", "queue.test.ts"].includes(path.basename(file)))) return; // not in this run: nothing to look for
  const found = findRedisServer() ?? install();
  if (found) return project.provide("redisServer", found);
  const why = `Redis tests skipped: no redis-server on PATH, and apt-get cannot install it here (it needs root or password-less sudo); ${howToEnable}.`;
  if (process.env.CI === "true") throw new Error(`${why.replace("Redis tests skipped", "Redis tests required (CI=true)")}`);
  console.log(why);
}

function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  return onPath("redis-server");
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Debian's redis-server, as .ci/run installs it; `undefined` where apt-get is missing or may not run. */
function install(): string | undefined {
  if (!onPath("apt-get")) return undefined;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !(onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0)) return undefined;
  console.log("redis-server not found: installing Debian's redis-server for the Redis tests (apt-get, once per machine)…");
  const run = (args: string[]) => {
    const [command, rest] = asRoot ? ["apt-get", args] : ["sudo", ["-n", "apt-get", ...args]];
    const result = spawnSync(command, rest as string[], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) console.log(`apt-get ${args.join(" ")} failed: ${result.stderr?.trim().split("\n").at(-1) ?? result.error?.message}`);
    return result.status === 0;
  };
  if (!(run(["update", "-qq"]) && run(["install", "-y", "-qq", "--no-install-recommends", "redis-server"]))) return undefined;
  return onPath("redis-server") ?? ["/usr/bin/redis-server", "/usr/sbin/redis-server"].find((file) => spawnSync(file, ["--version"], { stdio: "ignore" }).status === 0);
}
