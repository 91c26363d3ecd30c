import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { createSource } from "./source.js";

const providerModules = ["types", "validators", "guards", "triggers", "delivery"];

/** `<provider>/index.ts` for each provider (its own entry point) and `index.ts` re-exporting all. */
export function emitEntries(providers: readonly ProviderModel[], runtimeModules: readonly string[], project: Project): void {
  for (const provider of providers) {
    const file = createSource(project, `${provider.name}/index.ts`);
    file.addExportDeclarations(providerModules.map((module) => ({ moduleSpecifier: `./${module}.js` })));
  }
  const index = createSource(project, "index.ts");
  index.addExportDeclarations([
    ...runtimeModules.map((module) => ({ moduleSpecifier: `./runtime/${module}.js` })),
    { moduleSpecifier: "./providers.js" },
    ...providers.map((provider) => ({ moduleSpecifier: `./${provider.name}/index.js` })),
  ]);
}
