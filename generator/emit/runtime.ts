import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { banner } from "./source.js";

/**
 * The provider-independent runtime (validation, matchers, delivery, trigger) is hand-written
 * TypeScript in generator/runtime/, type-checked with the generator, and copied verbatim into
 * generated/src/runtime/ under a banner. Returns file contents by path and the module names.
 */
export async function emitRuntime(root: string): Promise<{ files: Map<string, string>; modules: string[] }> {
  const dir = path.join(root, "generator/runtime");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".ts")).sort();
  const files = new Map<string, string>();
  for (const name of names) {
    files.set(`src/runtime/${name}`, banner(`generator/runtime/${name}`) + (await readFile(path.join(dir, name), "utf8")));
  }
  return { files, modules: names.map((name) => name.slice(0, -".ts".length)) };
}
