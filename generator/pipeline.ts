import { readFile } from "node:fs/promises";
import path from "node:path";
import { checkAliases } from "./aliases.js";
import { emitAliases } from "./emit/aliases.js";
import { emitDelivery } from "./emit/delivery.js";
import { emitEntries } from "./emit/entries.js";
import { emitGuards } from "./emit/guards.js";
import { emitPackageFiles, type GeneratorManifest } from "./emit/package.js";
import { emitRuntime } from "./emit/runtime.js";
import { createProject, printSource } from "./emit/source.js";
import { emitTriggers } from "./emit/triggers.js";
import { emitTypes } from "./emit/types.js";
import { emitValidators } from "./emit/validators.js";
import { lintSchemas } from "./lint.js";
import { loadSchemas } from "./load.js";
import { buildModel, type ProviderModel } from "./model.js";

export interface GenerateOptions {
  /** The project root: holds generator/runtime and templates/. */
  readonly root: string;
  /** Defaults to `<root>/schemas`. */
  readonly schemasDir?: string;
}

export interface GeneratedPackage {
  readonly providers: readonly ProviderModel[];
  /** Every file of the package by its path relative to generated/, in a stable order. */
  readonly files: ReadonlyMap<string, string>;
  /** Milliseconds spent in each step, in order. */
  readonly timings: ReadonlyMap<string, number>;
}

/** load → lint → model → emit: the whole package in memory. Nothing is written here. */
export async function generate({ root, schemasDir = path.join(root, "schemas") }: GenerateOptions): Promise<GeneratedPackage> {
  const timings = new Map<string, number>();
  let since = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    timings.set(name, (timings.get(name) ?? 0) + now - since);
    since = now;
  };
  const loaded = await loadSchemas(schemasDir, root);
  step("load");
  const ajv = lintSchemas(loaded);
  step("lint");
  const providers = buildModel(loaded);
  checkAliases(providers);
  step("model");

  const project = createProject();
  const files = new Map<string, string>();
  for (const provider of providers) {
    await emitTypes(provider, project, files);
    step("types");
    emitValidators(provider, ajv.get(provider.name)!, project, files);
    step("validators");
    emitGuards(provider, project);
    emitTriggers(provider, project);
    emitAliases(provider, project);
    step("guards and triggers");
  }
  const runtime = await emitRuntime(root);
  emitDelivery(providers, project);
  emitEntries(providers, project);

  const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as GeneratorManifest;
  for (const [file, text] of [...(await emitPackageFiles(root, providers, manifest)), ...runtime.files]) files.set(file, text);
  for (const source of project.getSourceFiles()) {
    const file = source.getFilePath().slice(1);
    files.set(file, printSource(source, `schemas/${file.split("/").length > 2 ? `${file.split("/")[1]}/` : ""}`));
  }
  step("package");
  return { providers, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), timings };
}
