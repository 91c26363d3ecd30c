import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers, root } from "./support.js";

const scratch = await mkdtemp(path.join(tmpdir(), "confhooks-package-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const loaded = await providers();
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const run = promisify(execFile);

describe("the generated package compiles", () => {
  /** One build, as a consumer's node_modules/confhooks, shared by the tests below. */
  const pkg = path.join(scratch, "consumer/node_modules/confhooks");
  const outDir = path.join(pkg, "dist");
  beforeAll(async () => {
    await run(process.execPath, [tsc, "-p", "generated/tsconfig.json", "--outDir", outDir], { cwd: root });
    await cp(path.join(root, "generated/package.json"), path.join(pkg, "package.json"));
  }, 60_000);

  it("with npm run build's tsc under strict, to JavaScript and declarations", async () => {
    for (const provider of loaded) {
      const built = (await import(path.join(outDir, provider.name, "index.js"))) as Record<string, unknown>;
      expect(typeof built[`validate${provider.manifest.typePrefix}Event`]).toBe("function");
      await expect(readFile(path.join(outDir, provider.name, "index.d.ts"), "utf8")).resolves.toContain("export");
    }
  });

  it("installs like a consumer's dependency: ESM import of the root and of each provider's subpath", async () => {
    const script = [
      `import * as all from "confhooks";`,
      ...loaded.map((p) => `import * as ${p.name} from "confhooks/${p.name}";`),
      `console.log(JSON.stringify([typeof all.parseDelivery, typeof all.createTrigger, ${loaded.map((p) => `typeof ${p.name}.validate${p.manifest.typePrefix}Event`).join(", ")}]));`,
    ].join("\n");
    await writeFile(path.join(scratch, "consumer/index.mjs"), script);
    const { stdout } = await run(process.execPath, ["index.mjs"], { cwd: path.join(scratch, "consumer") });
    expect(JSON.parse(stdout)).toEqual(Array(loaded.length + 2).fill("function"));
  });

  it("and so do the generator, the tests, the benchmarks and the examples", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root });
  });
});
