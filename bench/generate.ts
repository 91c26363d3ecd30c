import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { median } from "./harness.js";
import { root } from "./fixtures.js";
import type { Row } from "./micro.js";

const tmp = path.join(root, "bench/.tmp");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Wall time of one command, in ms; throws when it fails. */
function timed(command: string, args: string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${run.stderr}`);
  return performance.now() - started;
}

/** `npm run generate` for every provider, against `node -e 0` in alternating rounds. */
export function generateBenchmark(rounds: number, log: (row: Row) => void, { warm = true } = {}): Row {
  const out = path.join(tmp, "generate-out");
  const node: number[] = [];
  const generate: number[] = [];
  if (warm) timed(npm, ["run", "-s", "generate", "--", "--out", out]); // warm the file cache and tsx's cache
  const baseline = () => node.push(timed(process.execPath, ["-e", "0"]));
  const candidate = () => generate.push(timed(npm, ["run", "-s", "generate", "--", "--out", out]));
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) (baseline(), candidate());
    else (candidate(), baseline());
  }
  const ratios = generate.map((g, i) => g / node[i]!);
  const row: Row = {
    what: `npm run generate, all providers (median ${(median(generate) / 1000).toFixed(2)} s)`,
    baseline: "node -e 0",
    goal: "≤ 2.5 s",
    met: median(generate) <= 2500,
    result: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(node) * 1000, candidateUs: median(generate) * 1000 },
  };
  log(row);
  return row;
}

/**
 * A provider folder of `count` event schemas shaped like real ones: envelope, shared part, own
 * fields. Its provider.json is Whereby's (the JSON envelope and HMAC it measures), renamed, so
 * that it follows the format of provider.json wherever that goes.
 */
export async function writeCorpus(dir: string, count: number): Promise<void> {
  const base = "https://confhooks.dev/schemas/synthetic/";
  const dialect = "https://json-schema.org/draft/2020-12/schema";
  const write = (file: string, value: unknown) => writeFile(path.join(dir, "synthetic", file), `${JSON.stringify(value, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "synthetic/common"), { recursive: true });
  const { $schema: _schema, aliases: _aliases, ...whereby } = JSON.parse(await readFile(path.join(root, "schemas/whereby/provider.json"), "utf8")) as Record<string, unknown>;
  await write("provider.json", { ...whereby, title: "Synthetic", typePrefix: "Synthetic", docs: "https://example.com/docs" });
  await write("common/envelope.schema.json", {
    $schema: dialect, $id: `${base}common/envelope.schema.json`, title: "Envelope", description: "Common fields.", type: "object",
    properties: { id: { type: "string", description: "Event id." }, type: { type: "string", description: "Event type." }, data: { type: "object", description: "Payload." } },
    required: ["id", "type", "data"],
  });
  await write("common/room.schema.json", {
    $schema: dialect, $id: `${base}common/room.schema.json`, title: "Room", description: "A room.", type: "object",
    properties: { roomName: { type: "string", description: "Room path." }, size: { type: "integer", minimum: 0, description: "People in it." } },
    required: ["roomName"],
  });
  for (let i = 0; i < count; i++) {
    const type = `event.number-${String(i).padStart(4, "0")}`;
    await write(`${type}.schema.json`, {
      $schema: dialect, $id: `${base}${type}.schema.json`, title: `Event ${i}`, description: `Synthetic event ${i}.`, type: "object",
      allOf: [{ $ref: "common/envelope.schema.json" }],
      properties: {
        type: { const: type },
        data: {
          type: "object", description: "The payload.", allOf: [{ $ref: "common/room.schema.json" }],
          properties: { state: { enum: ["a", "b", "c"], description: "State." }, at: { type: "number", description: "When." }, tags: { type: "array", items: { type: "string" }, description: "Tags." } },
          required: ["state"],
        },
      },
      required: ["type", "data"],
      examples: [{ id: `e${i}`, type, data: { roomName: "/r", size: 2, state: "a", at: 1.5, tags: ["x"] } }],
    });
  }
}

/** Generation time at 100, 300 and 1,000 schemas: the cost of each added schema should stay flat. */
export async function corpusBenchmark(sizes: readonly number[], runs: number, log: (row: Row) => void, { warm = true } = {}): Promise<Row> {
  const times = new Map<number, number>();
  for (const size of sizes) {
    const dir = path.join(tmp, `corpus-${size}`);
    await writeCorpus(dir, size);
    const out = path.join(tmp, `corpus-${size}-out`);
    if (warm) execFileSync(process.execPath, ["generator/bin.mjs", "--schemas", dir, "--out", out], { cwd: root, stdio: "ignore" }); // warm-up
    times.set(size, median(Array.from({ length: runs }, () => timed(process.execPath, ["generator/bin.mjs", "--schemas", dir, "--out", out]))));
  }
  const slopes = sizes.slice(1).map((size, i) => (times.get(size)! - times.get(sizes[i]!)!) / (size - sizes[i]!));
  const worst = Math.max(...slopes);
  const row: Row = {
    what: `generate ${sizes.join(" / ")} synthetic schemas (${sizes.map((s) => `${(times.get(s)! / 1000).toFixed(2)} s`).join(" / ")}): ms per added schema, worst of ${slopes.map((s) => s.toFixed(2)).join(", ")}`,
    baseline: "its own size",
    goal: "≤ 5 ms per added schema",
    met: worst <= 5,
    result: { median: worst, min: Math.min(...slopes), max: worst, rounds: runs, baselineUs: times.get(sizes[0]!)! * 1000, candidateUs: times.get(sizes.at(-1)!)! * 1000 },
  };
  log(row);
  return row;
}

/**
 * What one large provider costs (issue 19): generating Zoom's folder alone, in process, against
 * json-schema-to-typescript alone turning the same event schemas into types (each file compiled
 * with its `$ref`s resolved from the folder, as a user of that library would), in alternating
 * rounds; and the size of `confhooks/zoom`'s Web entry bundled and minified.
 */
export async function providerCostBenchmark(provider: string, rounds: number, log: (row: Row) => void): Promise<Row[]> {
  const { compileFromFile } = await import("json-schema-to-typescript");
  const { generate } = await import("../generator/pipeline.js");
  const { build } = await import("esbuild");
  const { gzipSync } = await import("node:zlib");
  const schemas = path.join(tmp, `only-${provider}`);
  await rm(schemas, { recursive: true, force: true });
  await mkdir(schemas, { recursive: true });
  const { cp, readdir } = await import("node:fs/promises");
  await cp(path.join(root, "schemas", provider), path.join(schemas, provider), { recursive: true });
  const files = (await readdir(path.join(schemas, provider))).filter((file) => file.endsWith(".schema.json"));
  const typesOnly = async () => {
    for (const file of files) await compileFromFile(path.join(schemas, provider, file), { cwd: path.join(schemas, provider), bannerComment: "", format: false, additionalProperties: false });
  };
  const confhooks = async () => void (await generate({ root, schemasDir: schemas }));
  const jstt: number[] = [];
  const ours: number[] = [];
  const time = async (run: () => Promise<void>, into: number[]) => {
    const started = performance.now();
    await run();
    into.push(performance.now() - started);
  };
  await confhooks(); // warm both: module loading is not what is measured
  await typesOnly();
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) (await time(typesOnly, jstt), await time(confhooks, ours));
    else (await time(confhooks, ours), await time(typesOnly, jstt));
  }
  const ratios = ours.map((o, i) => o / jstt[i]!);
  const cost: Row = {
    what: `generate ${provider} alone (${files.length} events, median ${(median(ours) / 1000).toFixed(2)} s): types, validators, guards, triggers, delivery`,
    baseline: `json-schema-to-typescript alone, types only (median ${(median(jstt) / 1000).toFixed(2)} s)`,
    goal: "≤ 2×",
    met: median(ratios) <= 2,
    result: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(jstt) * 1000, candidateUs: median(ours) * 1000 },
  };
  log(cost);
  const bundled = await build({ entryPoints: [path.join(root, `generated/src/${provider}/web.ts`)], bundle: true, minify: true, platform: "neutral", format: "esm", write: false, logLevel: "silent" });
  const bytes = bundled.outputFiles[0]!.contents;
  const size: Row = {
    what: `confhooks/${provider} Web entry, bundled and minified: ${(bytes.length / 1024).toFixed(0)} kB, ${(gzipSync(bytes).length / 1024).toFixed(0)} kB gzipped`,
    baseline: "bytes",
    goal: "reported",
    met: true,
    result: { median: bytes.length, min: bytes.length, max: bytes.length, rounds: 1, baselineUs: 0, candidateUs: 0 },
  };
  log(size);
  return [cost, size];
}
