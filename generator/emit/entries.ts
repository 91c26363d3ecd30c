import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { runtimeApi, type ApiEntry } from "./api.js";
import { createSource } from "./source.js";

const providerModules = ["types", "validators", "guards", "triggers", "delivery"];

/**
 * The package's entry points, two per level:
 * - `web.ts` and `<provider>/web.ts`: Web APIs only (workers, Deno, Bun, browsers; the `default` export condition);
 * - `index.ts` and `<provider>/index.ts`: the same plus the Node adapter (the `node` condition), whose
 *   `create…Trigger` and synchronous `verify…Delivery` take precedence over the star exports.
 */
export function emitEntries(providers: readonly ProviderModel[], project: Project): void {
  for (const provider of providers) {
    const modules = provider.manifest.aliases ? [...providerModules, "aliases"] : providerModules;
    createSource(project, `${provider.name}/web.ts`).addExportDeclarations(modules.map((module) => ({ moduleSpecifier: `./${module}.js` })));
    createSource(project, `${provider.name}/index.ts`).addExportDeclarations([
      { moduleSpecifier: "./web.js" },
      { moduleSpecifier: "./node.js", namedExports: nodeFunctions(provider) },
    ]);
  }
  createSource(project, "web.ts").addExportDeclarations([
    ...namedExports("web"),
    ...providers.map((provider) => ({ moduleSpecifier: `./${provider.name}/web.js` })),
  ]);
  createSource(project, "index.ts").addExportDeclarations([
    { moduleSpecifier: "./web.js" },
    ...namedExports("node"),
    ...providers.map((provider) => ({ moduleSpecifier: `./${provider.name}/node.js`, namedExports: nodeFunctions(provider) })),
  ]);
}

/** The runtime's public names of one entry (generator/emit/api.ts), one export declaration per module; nothing else of the runtime. */
function namedExports(entry: "web" | "node") {
  const byModule = new Map<string, ApiEntry[]>();
  for (const api of runtimeApi) {
    if (api.entry !== entry && !(entry === "node" && api.from === "node")) continue;
    byModule.set(api.from, [...(byModule.get(api.from) ?? []), api]);
  }
  if (entry === "node") byModule.set("node", [...(byModule.get("node") ?? []), runtimeApi.find((api) => api.from === "providers" && api.name === "createTrigger")!]);
  return [...byModule].map(([from, names]) => ({
    moduleSpecifier: from === "providers" || from === "node" ? `./${from}.js` : `./runtime/${from}.js`,
    namedExports: names.map((api) => (api.type ? { name: api.name, isTypeOnly: true } : api.name)),
  }));
}

/** What the Node adapter of a provider adds: the `node:http` trigger and synchronous verification. */
function nodeFunctions(provider: ProviderModel): string[] {
  const prefix = provider.manifest.typePrefix;
  return [`create${prefix}Trigger`, `verify${prefix}Delivery`];
}
