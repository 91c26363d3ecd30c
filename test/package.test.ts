import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers, root } from "./support.js";

/**
 * The package as a publisher and its consumers get it: generated/ copied, built with its own
 * `npm run build`, packed with `npm pack` (whose prepack checks dist/), then the tarball unpacked
 * into consumer projects with the TypeScript settings consumers use.
 */
const run = promisify(execFile);
const scratch = await mkdtemp(path.join(tmpdir(), "confhooks-package-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const loaded = await providers();
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const pkg = path.join(scratch, "package");
let tarball: string;
let built: string;
let packed: { unpackedSize: number; files: { path: string }[] };

beforeAll(async () => {
  await cp(path.join(root, "generated"), pkg, { recursive: true, filter: (file) => !file.includes(`${path.sep}dist`) && !file.includes(`${path.sep}node_modules`) });
  await symlink(path.join(root, "node_modules"), path.join(pkg, "node_modules"), "dir"); // its devDependencies: typescript, @types/node
  built = (await run("npm", ["run", "build", "--silent"], { cwd: pkg })).stdout;
  const { stdout } = await run("npm", ["pack", "--json", "--silent"], { cwd: pkg });
  const [info] = JSON.parse(stdout) as [{ filename: string; unpackedSize: number; files: { path: string }[] }];
  tarball = path.join(pkg, info.filename);
  packed = info;
}, 120_000);

describe("the packed package", () => {
  // The budget grows with the schemas: 300 kB of runtime and entries, 15 kB per event (types, validator, guard, slot; Zoom's events hold about a hundred fields each).
  const events = loaded.reduce((sum, provider) => sum + provider.events.length, 0);
  it(`is at most ${Math.round((300 + 15 * events) / 100) / 10} MB unpacked for ${events} events, with JavaScript, declarations, LICENSE and README, and no sources or maps`, () => {
    expect(packed.unpackedSize).toBeLessThanOrEqual(300_000 + 15_000 * events);
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts", "dist/web.js", "dist/whereby/compiled.js", "dist/whereby/compiled.d.ts"]));
    expect(files.filter((file) => file.startsWith("src/") || file.endsWith(".map") || file === "build.mjs")).toEqual([]);
  });

  it("npm run build says what it built; without its devDependencies, one line saying what to install", async () => {
    expect(built).toMatch(/^confhooks: built dist\/ from src\/: \d+ JavaScript files with their declarations, in [\d.]+ s\.$/m);
    const bare = path.join(scratch, "vendored-without-install");
    await cp(path.join(root, "generated"), bare, { recursive: true, filter: (file) => !file.includes(`${path.sep}dist`) && !file.includes(`${path.sep}node_modules`) });
    const failed = await run(process.execPath, ["build.mjs"], { cwd: bare }).then(() => undefined, (error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stdout: "" });
    expect(failed!.stderr.trim().split("\n")).toEqual(["confhooks: cannot build: typescript and @types/node not installed here. Run `npm install` in this folder (it installs the devDependencies typescript and @types/node), then `npm run build`."]);
  });

  it("refuses to pack a dist/ that is not the build of its src/: `npm pack` runs the check (prepack)", async () => {
    const file = path.join(pkg, "src/whereby/types.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, `${original}// edited after the build\n`);
    try {
      // Through npm itself, as a publisher packs: the check only protects what npm runs.
      await expect(run("npm", ["pack", "--dry-run", "--json"], { cwd: pkg })).rejects.toMatchObject({ stderr: expect.stringMatching(/run `npm run build`/) });
    } finally {
      await writeFile(file, original);
    }
    await run("node", ["build.mjs", "--check"], { cwd: pkg });
  });

  it("passes @arethetypeswrong/cli as an ESM-only package", async () => {
    await run(path.join(root, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], { cwd: scratch });
  });
});

/** A consumer project with the tarball unpacked as node_modules/confhooks, as npm installs a package without dependencies. */
async function consumer(name: string, manifest: object, compilerOptions: object, files: Record<string, string>): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(path.join(dir, "node_modules/confhooks"), { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", path.join(dir, "node_modules/confhooks"), "--strip-components=1"]);
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name, private: true, ...manifest }));
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, outDir: "out", ...compilerOptions }, include: Object.keys(files) }));
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
  return dir;
}

const nodeTypes = { typeRoots: [path.join(root, "node_modules/@types")], types: ["node"] };

/** The README's examples, as a consumer writes them under the strictest settings. */
const readmeExamples = `
import { createServer } from "node:http";
import { parseDelivery, verifyDelivery, type DeliveryRequest } from "confhooks";
import { createWherebyTrigger, validateWherebyEvent } from "confhooks/whereby";

const result = validateWherebyEvent(JSON.parse("{}"));
if (!result.ok) console.error(result.issues[0]?.pointer);
else if (result.value.type === "room.client.joined") console.log(result.value.data.roleName);

const trigger = createWherebyTrigger({
  secret: process.env.WHEREBY_WEBHOOK_SECRET ?? "",
  port: 0,
  webhookTriggers: { "room.client.joined": (event) => event.data.roleName === "host" },
});
trigger.on("trigger_event_success", ({ key, event }) => console.log(key, event.data.roomName));
export const start = () => trigger.start();

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const request: DeliveryRequest = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) };
    const verified = verifyDelivery("bigbluebutton", request, { secret: process.env.BBB_SECRET ?? "", callbackUrl: "https://example.com/bbb", algorithm: process.env.BBB_ALGORITHM === "sha256" ? "sha256" : undefined });
    if (!verified.ok) return res.writeHead(401).end(verified.error.message);
    const parsed = parseDelivery("bigbluebutton", request);
    if (!parsed.ok) return res.writeHead(400).end(\`\${parsed.error.code}: \${parsed.error.message}\`);
    for (const { type, event } of parsed.events) if (type === "user-joined") console.log(event.data.attributes.user.name);
    res.writeHead(200).end();
  });
});
`;

describe("consumers compile and run the tarball", () => {
  it("ESM, module NodeNext, strict + exactOptionalPropertyTypes + noUncheckedIndexedAccess: the README's examples", async () => {
    const dir = await consumer("esm-strict", { type: "module" }, { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, ...nodeTypes }, {
      "index.ts": readmeExamples,
      "check.ts": `import * as all from "confhooks";\n${loaded.map((p) => `import * as ${p.name} from "confhooks/${p.name}";`).join("\n")}\nconsole.log(JSON.stringify([typeof all.parseDelivery, typeof all.createTrigger, typeof all.signDelivery, ${loaded.map((p) => `typeof ${p.name}.validate${p.manifest.typePrefix}Event`).join(", ")}]));\n`,
    });
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir });
    const { stdout } = await run(process.execPath, ["out/check.js"], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(Array(loaded.length + 3).fill("function"));
  });

  it("CommonJS, module NodeNext: require() of the ESM package on Node ≥ 20.19", async () => {
    const dir = await consumer("cjs", { type: "commonjs" }, { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", skipLibCheck: true, ...nodeTypes }, {
      "index.ts": `import { parseDelivery } from "confhooks";\nimport { verifyWherebyDelivery } from "confhooks/whereby";\nconsole.log(JSON.stringify([typeof parseDelivery, typeof verifyWherebyDelivery, typeof require]));\n`,
    });
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir });
    await expect(readFile(path.join(dir, "out/index.js"), "utf8")).resolves.toContain('require("confhooks")');
    const { stdout } = await run(process.execPath, ["out/index.js"], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(["function", "function", "function"]);
  });

  it("types, guards and validators without @types/node: module NodeNext, and moduleResolution bundler with the node condition (Node build)", async () => {
    const validatorOnly = [
      `import { isWherebyRoomClientJoinedEvent, validateWherebyEvent, type WherebyEvent } from "confhooks/whereby";`,
      `import { isDailyEvent, validateBigBlueButtonEvent, type BigBlueButtonEvent } from "confhooks";`,
      `export function check(value: unknown): WherebyEvent | BigBlueButtonEvent | undefined {`,
      `  if (isWherebyRoomClientJoinedEvent(value)) return value;`,
      `  const result = validateWherebyEvent(value);`,
      `  if (result.ok) return result.value;`,
      `  const bbb = validateBigBlueButtonEvent(value);`,
      `  return bbb.ok ? bbb.value : isDailyEvent(value) ? undefined : undefined;`,
      `}`,
    ].join("\n");
    const settings = { types: [], noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true };
    const dirs = await Promise.all([
      consumer("no-node-types-nodenext", { type: "module" }, { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", ...settings }, { "index.ts": validatorOnly }),
      consumer("no-node-types-bundler", { type: "module" }, { module: "ESNext", moduleResolution: "Bundler", customConditions: ["node"], target: "ES2022", ...settings }, { "index.ts": `${validatorOnly}\nimport { verifyWherebyDelivery } from "confhooks/whereby";\nexport const nodeBuild: typeof verifyWherebyDelivery = verifyWherebyDelivery; // the node condition gives the Node build\n` }),
    ]);
    await Promise.all(dirs.map((dir) => run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir })));
  });

  it("moduleResolution bundler, Web lib only (no @types/node): the Web build, with trigger.fetch and no Node-only function", async () => {
    const dir = await consumer("bundler", { type: "module" }, { module: "ESNext", moduleResolution: "Bundler", target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], types: [], noEmit: true, exactOptionalPropertyTypes: true, skipLibCheck: true }, {
      "worker.ts": [
        `import { createDailyTrigger, verifyDailyDeliveryAsync } from "confhooks/daily";`,
        `const trigger = createDailyTrigger({ secret: "ZGFpbHktc2VjcmV0LWZvci10ZXN0cw==", responseTimeoutMs: false, webhookTriggers: { "meeting.ended": (event) => event.payload.end_ts > event.payload.start_ts } });`,
        `export default { fetch: trigger.fetch };`,
        `export const verify = (request: Request, body: string) => verifyDailyDeliveryAsync({ headers: Object.fromEntries(request.headers), body }, { secret: "x" });`,
        `// @ts-expect-error the Web build has no node:http server`,
        `trigger.start();`,
        `// @ts-expect-error synchronous verification needs node:crypto: Node entry only`,
        `import("confhooks/daily").then((daily) => daily.verifyDailyDelivery);`,
      ].join("\n"),
    });
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir });
  });
});

describe("the project's own code", () => {
  it("type-checks: the generator, the tests and the type tests (test/*.test-d.ts), the benchmarks and the examples (npm run typecheck)", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root });
  }, 60_000);
});
