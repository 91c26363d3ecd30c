import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { createSource } from "./source.js";

const providerModules = ["types", "validators", "guards", "triggers", "delivery"];

/**
 * The package's entry points, two per level:
 * - `web.ts` and `<provider>/web.ts`: Web APIs only (workers, Deno, Bun, browsers; the `default` export condition);
 * - `index.ts` and `<provider>/index.ts`: the same plus the Node adapter (the `node` condition), whose
 *   `create…Trigger` and synchronous `verify…Delivery` take precedence over the star exports.
 */
export function emitEntries(providers: readonly ProviderModel[], runtime: { readonly core: readonly string[]; readonly node: readonly string[] }, project: Project): void {
  for (const provider of providers) {
    const modules = provider.manifest.aliases ? [...providerModules, "aliases"] : providerModules;
    createSource(project, `${provider.name}/web.ts`).addExportDeclarations(modules.map((module) => ({ moduleSpecifier: `./${module}.js` })));
    createSource(project, `${provider.name}/index.ts`).addExportDeclarations([
      { moduleSpecifier: "./web.js" },
      { moduleSpecifier: "./node.js", namedExports: nodeFunctions(provider) },
    ]);
  }
  createSource(project, "web.ts").addExportDeclarations([
    ...runtime.core.map((module) => ({ moduleSpecifier: `./runtime/${module}.js` })),
    { moduleSpecifier: "./providers.js" },
    ...providers.map((provider) => ({ moduleSpecifier: `./${provider.name}/web.js` })),
  ]);
  createSource(project, "index.ts").addExportDeclarations([
    { moduleSpecifier: "./web.js" },
    ...runtime.node.map((module) => ({ moduleSpecifier: `./runtime/${module}.js` })),
    { moduleSpecifier: "./node.js", namedExports: ["createTrigger", "verifyDelivery"] },
    ...providers.map((provider) => ({ moduleSpecifier: `./${provider.name}/node.js`, namedExports: nodeFunctions(provider) })),
  ]);
}

/** What the Node adapter of a provider adds: the `node:http` trigger and synchronous verification. */
function nodeFunctions(provider: ProviderModel): string[] {
  const prefix = provider.manifest.typePrefix;
  return [`create${prefix}Trigger`, `verify${prefix}Delivery`];
}
