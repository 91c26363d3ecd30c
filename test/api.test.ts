import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { providerExports, runtimeApi } from "../generator/emit/api.js";
import { buildModel } from "../generator/model.js";
import { providers, root } from "./support.js";

/**
 * The package exports exactly what the API reference of its README documents (generator/emit/api.ts
 * writes both): nothing internal leaks, nothing documented is missing.
 */
const models = buildModel(await providers());
const program = ts.createProgram(["index.ts", "web.ts"].map((entry) => path.join(root, "generated/src", entry)), {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ["node"], noEmit: true, skipLibCheck: true,
});
const checker = program.getTypeChecker();
const exportsOf = (entry: string) => new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(root, "generated/src", entry))!)!).map((symbol) => symbol.name));

describe("the package's public surface", () => {
  const documented = new Set([...runtimeApi.map((entry) => entry.name), ...models.flatMap(providerExports)]);

  it("the main entry exports every documented name and nothing else", () => {
    const exported = exportsOf("index.ts");
    expect([...exported].filter((name) => !documented.has(name)).sort(), "exported, not documented").toEqual([]);
    expect([...documented].filter((name) => !exported.has(name)).sort(), "documented, not exported").toEqual([]);
  });

  it("the Web entry, the same without what is the Node entry's", () => {
    const nodeOnly = new Set([...runtimeApi.filter((entry) => entry.entry === "node").map((entry) => entry.name), ...models.map((p) => `verify${p.manifest.typePrefix}Delivery`)]);
    const exported = exportsOf("web.ts");
    expect([...exported].filter((name) => !documented.has(name) || nodeOnly.has(name)).sort()).toEqual([]);
    expect([...documented].filter((name) => !exported.has(name) && !nodeOnly.has(name)).sort()).toEqual([]);
  });

  it("the package README has the reference's every line", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(path.join(root, "generated/README.md"), "utf8");
    for (const entry of runtimeApi) expect(readme, entry.name).toContain(`- ${entry.line}`);
  });
});
