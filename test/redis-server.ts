import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RedisServer {
  readonly port: number;
  /** Stops the server (SIGKILL: gone at once, as a crashed or unreachable one); again, does nothing. */
  stop(): Promise<void>;
}

/**
 * A real redis-server (`binary`: the one test/redis-setup.ts provides) on `port` (default: a free
 * one) of 127.0.0.1, in a temporary folder, nothing persisted.
 */
export async function startRedis(binary: string, port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "confhooks-redis-"));
  const server = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new Error(`cannot start ${binary} (${error.message})`)));
    server.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("Ready to accept connections") && resolve());
    server.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  return {
    port,
    async stop() {
      server.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}
