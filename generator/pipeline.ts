import { readFile } from "node:fs/promises";
import path from "node:path";
import { emitDelivery } from "./emit/delivery.js";
import { emitEntries } from "./emit/entries.js";
import { emitGuards } from "./emit/guards.js";
import { emitPackageFiles } from "./emit/package.js";
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
}

/** load → lint → model → emit: the whole package in memory. Nothing is written here. */
export async function generate({ root, schemasDir = path.join(root, "schemas") }: GenerateOptions): Promise<GeneratedPackage> {
  const loaded = await loadSchemas(schemasDir, root);
  const ajv = lintSchemas(loaded);
  const providers = buildModel(loaded);

  const project = createProject();
  const files = new Map<string, string>();
  for (const provider of providers) {
    await emitTypes(provider, project);
    emitValidators(provider, ajv, project, files);
    emitGuards(provider, project);
    emitTriggers(provider, project);
  }
  const runtime = await emitRuntime(root);
  emitDelivery(providers, project);
  emitEntries(providers, runtime.modules, project);

  const { version } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
  for (const [file, text] of [...(await emitPackageFiles(root, providers, version)), ...runtime.files]) files.set(file, text);
  for (const source of project.getSourceFiles()) {
    const file = source.getFilePath().slice(1);
    files.set(file, printSource(source, `schemas/${file.split("/").length > 2 ? `${file.split("/")[1]}/` : ""}`));
  }
  return { providers, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))) };
}
