import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { banner } from "./source.js";

/** The runtime's layers: `core` runs on Web APIs only, `node` adds what needs Node's modules. */
export const runtimeLayers = ["core", "node"] as const;

/**
 * The provider-independent runtime is hand-written TypeScript in generator/runtime/<layer>/,
 * type-checked with the generator, and copied verbatim into generated/src/runtime/ under a
 * banner. Returns file contents by path and, per layer, the public module paths (`core/trigger`).
 */
export async function emitRuntime(root: string): Promise<{ files: Map<string, string> }> {
  const files = new Map<string, string>();
  for (const layer of runtimeLayers) {
    const dir = path.join(root, "generator/runtime", layer);
    for (const name of (await readdir(dir)).filter((name) => name.endsWith(".ts")).sort()) {
      const module = `${layer}/${name.slice(0, -".ts".length)}`;
      files.set(`src/runtime/${module}.ts`, banner(`generator/runtime/${module}.ts`) + (await readFile(path.join(dir, name), "utf8")));
    }
  }
  return { files };
}
