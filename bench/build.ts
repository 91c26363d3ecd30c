import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { root } from "./fixtures.js";

/**
 * generated/ compiled into bench/.tmp/dist, once per benchmark run: by the project's tsc, as the
 * package's own build does; for the smoke run (--quick), by esbuild, file by file, which takes a
 * tenth of the time and gives the same modules less type-only code.
 */
export const dist = path.join(root, "bench/.tmp/dist");
let compiled = false;

export function buildPackage(): string {
  if (!compiled) {
    if (process.argv.includes("--quick")) {
      const src = path.join(root, "generated/src");
      const entryPoints = readdirSync(src, { recursive: true }).map(String).filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts")).map((name) => path.join(src, name));
      buildSync({ entryPoints, outdir: dist, outbase: src, format: "esm", platform: "node", target: "es2022", logLevel: "error" });
    } else execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "generated/tsconfig.json"), "--outDir", dist, "--declaration", "false"]);
    // ajv's validators are plain JavaScript beside the TypeScript: copied as the package's build.mjs does.
    const src = path.join(root, "generated/src");
    for (const file of readdirSync(src, { recursive: true }).map(String).filter((name) => name.endsWith("compiled.js"))) cpSync(path.join(src, file), path.join(dist, file));
    compiled = true;
  }
  return dist;
}

/** Imports a module of the compiled package, typed as its source. */
export async function built<Module>(file: string): Promise<Module> {
  const target = path.join(buildPackage(), file);
  if (!existsSync(target)) throw new Error(`${target} is missing after the build`);
  return (await import(pathToFileURL(target).href)) as Module;
}
