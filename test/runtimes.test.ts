import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody, signDelivery, type Provider } from "../generated/src/index.js";
import { handshakeBody } from "./battery.js";
import { mutate, optionsFor, otherSecretFor, providers, root } from "./support.js";

/**
 * The Web entry in the real runtimes, over real HTTP on 127.0.0.1: each receives signed
 * deliveries of every provider through `trigger.fetch` and must answer as on Node.
 */
const loaded = await providers();
const names = loaded.map((provider) => provider.name as Provider);
const providerOf = (name: string) => loaded.find((p) => p.name === name)!;
/** Each provider's first event: its matcher fires. */
const exampleOf = (provider: Provider) => structuredClone((providerOf(provider).events[0]!.schema.examples as any[])[0]);
const receivers = Object.fromEntries(loaded.map((provider) => [provider.name, { options: optionsFor(provider), matched: provider.events[0]!.base }]));

const dir = mkdtempSync(path.join(tmpdir(), "confhooks-runtimes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [path.join(root, entry)], bundle: true, platform: "neutral", format: "esm", write: false, logLevel: "silent", define: { __RECEIVERS__: JSON.stringify(receivers) } });
  return result.outputFiles[0]!.text;
}

describe("the Web entries bundle for a neutral platform", () => {
  for (const entry of ["generated/src/web.ts", ...names.map((name) => `generated/src/${name}/web.ts`)]) {
    it(`${entry}: esbuild --platform=neutral, no externals, no node: module`, async () => {
      const text = await bundle(entry);
      expect(text).not.toMatch(/["']node:|require\(/);
      expect(text).not.toMatch(/^import /m);
    });
  }
});

interface Runtime {
  readonly name: string;
  start(worker: string): Promise<{ url: string; stop(): Promise<void> }>;
}

/** Spawns a runtime that prints `{"port":N}` once it listens. */
function spawnServer(command: string, args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(command, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DENO_DIR: path.join(dir, ".deno"), NO_COLOR: "1" } });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const port = /\{"port":(\d+)\}/.exec(output)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}`, stop: async () => void child.kill() });
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => reject(new Error(`${command} cannot start: ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

const bin = (name: string) => path.join(root, "node_modules/.bin", name);

/**
 * Deno comes as its Linux x64 binary package, an optional dependency: the npm registry these
 * machines reach serves no other platform's (`@deno/darwin-arm64` & co. answer 404), so the
 * `deno` wrapper package cannot be locked. Elsewhere the Deno tests are skipped, saying why.
 */
const denoBinary = path.join(root, "node_modules/@deno/linux-x64-glibc/deno");
const denoMissing = process.platform === "linux" && process.arch === "x64" ? undefined : `no Deno binary for ${process.platform}-${process.arch} (only @deno/linux-x64-glibc is installed)`;
if (denoMissing) console.warn(`test/runtimes.test.ts: Deno skipped: ${denoMissing}`);

const runtimes: (Runtime & { readonly skip?: string | undefined })[] = [
  {
    name: "workerd (miniflare)",
    async start(worker) {
      const mf = new Miniflare({ modules: true, script: worker, host: "127.0.0.1", port: 0, compatibilityDate: "2025-01-01" });
      const url = await mf.ready;
      return { url: url.origin, stop: () => mf.dispose() };
    },
  },
  {
    name: "Deno",
    skip: denoMissing,
    start() {
      writeFileSync(path.join(dir, "deno.mjs"), 'import worker from "./worker.mjs";\nDeno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(JSON.stringify({ port })) }, worker.fetch);\n');
      return spawnServer(denoBinary, ["run", "--allow-net", "--no-prompt", "deno.mjs"]);
    },
  },
  {
    name: "Bun",
    start() {
      writeFileSync(path.join(dir, "bun.mjs"), 'import worker from "./worker.mjs";\nconst server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: worker.fetch });\nconsole.log(JSON.stringify({ port: server.port }));\n');
      return spawnServer(bin("bun"), ["bun.mjs"]);
    },
  },
];

describe("which build Deno and Bun resolve: the Node build (the `node` condition), as the READMEs say", () => {
  // The generated package.json's exports map, over stand-in builds that say which they are.
  const consumer = path.join(dir, "resolution");
  beforeAll(() => {
    const pkg = path.join(consumer, "node_modules/confhooks");
    for (const entry of ["", ...names.map((name) => `${name}/`)]) {
      mkdirSync(path.join(pkg, "dist", entry), { recursive: true });
      writeFileSync(path.join(pkg, "dist", entry, "index.js"), 'export const build = "node";\n');
      writeFileSync(path.join(pkg, "dist", entry, "web.js"), 'export const build = "web";\n');
    }
    writeFileSync(path.join(pkg, "package.json"), readFileSync(path.join(root, "generated/package.json")));
    writeFileSync(path.join(consumer, "package.json"), '{ "name": "resolution", "private": true, "type": "module" }\n');
    writeFileSync(path.join(consumer, "which.mjs"), 'import { build } from "confhooks";\nimport { build as whereby } from "confhooks/whereby";\nconsole.log(JSON.stringify([build, whereby]));\n');
  });
  const which = (command: string, args: string[]) =>
    new Promise<unknown>((resolve, reject) =>
      execFile(command, [...args, "which.mjs"], { cwd: consumer, env: { ...process.env, DENO_DIR: path.join(dir, ".deno"), NO_COLOR: "1" }, timeout: 20_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(JSON.parse(stdout)))),
    );
  it.skipIf(denoMissing !== undefined)("Deno", async () => expect(await which(denoBinary, ["run", "--no-prompt", "--node-modules-dir=manual"])).toEqual(["node", "node"]));
  it("Bun", async () => expect(await which(bin("bun"), [])).toEqual(["node", "node"]));
  it("Node", async () => expect(await which(process.execPath, [])).toEqual(["node", "node"]));
});

/** The example made invalid: its event type, at the provider's discriminant, is not a string. */
function invalidate(provider: Provider, event: unknown) {
  return mutate(event, { set: { [providerOf(provider).manifest.envelope.discriminant]: 7 } });
}

let worker: string;
beforeAll(async () => {
  worker = await bundle("test/runtimes/worker.ts");
  writeFileSync(path.join(dir, "worker.mjs"), worker);
});

for (const runtime of runtimes) {
  describe.skipIf(runtime.skip !== undefined)(runtime.name, () => {
    let server: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      server = await runtime.start(worker);
    }, 30_000);
    afterAll(() => server?.stop());

    const post = async (provider: Provider, request: { url: string; headers: Readonly<Record<string, string>>; body: string }) => {
      const response = await fetch(`${server.url}/${provider}${request.url.slice(1)}`, { method: "POST", headers: request.headers, body: request.body });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };

    for (const provider of names) {
      it(`${provider}: 200 for a signed delivery, 401 for a bad signature, 400 for an invalid event, 413 for a large body, its handshakes answered`, async () => {
        const options = optionsFor(providerOf(provider)) as never;
        const valid = await signDelivery(provider, exampleOf(provider), options);
        expect(await post(provider, valid)).toMatchObject({ status: 200, body: { ok: true, events: 1 } });

        const forged = await signDelivery(provider, exampleOf(provider), { ...(options as object), secret: otherSecretFor(providerOf(provider)) } as never);
        expect(await post(provider, forged)).toMatchObject({ status: 401, body: { ok: false, error: { code: "signature" } } });

        const invalid = await signDelivery(provider, invalidate(provider, exampleOf(provider)) as never, options);
        expect(await post(provider, invalid)).toMatchObject({ status: 400, body: { ok: false } });

        const large = await signDelivery(provider, { ...exampleOf(provider), padding: "x".repeat(20_000) } as never, options);
        expect(await post(provider, large)).toMatchObject({ status: 413, body: { error: { code: "too_large" } } });

        const { manifest } = providerOf(provider);
        for (const handshake of manifest.envelope.format === "json" ? (manifest.handshakes ?? []) : []) {
          const answered = await post(provider, await signBody(provider, JSON.stringify(handshakeBody(handshake)), options));
          expect(answered, handshake.name).toMatchObject({ status: 200, body: handshake.answer ? Object.fromEntries(Object.keys(handshake.answer.json).map((key) => [key, expect.any(String)])) : { ok: true, events: 0 } });
        }
      });
    }
  });
}
