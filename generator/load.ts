import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { FolderError, SchemaError, SchemaErrors, shownPath } from "./errors.js";
import { findJsonSyntaxError } from "./json-syntax.js";
import { checkManifest, type ProviderManifest } from "./manifest.js";

export type JsonSchema = Record<string, unknown>;

export type { ProviderManifest } from "./manifest.js";

export interface SchemaFile {
  /** Path relative to the project root, with forward slashes, e.g. `schemas/whereby/room.client.joined.schema.json`. */
  readonly file: string;
  /** Path relative to the schemas folder, e.g. `whereby/common/envelope.schema.json`: what its `$id` ends with. */
  readonly path: string;
  /** File name without `.schema.json`: the event type for an event schema. */
  readonly base: string;
  readonly schema: JsonSchema;
}

export interface LoadedProvider {
  readonly name: string;
  readonly manifestFile: string;
  readonly manifest: ProviderManifest;
  readonly events: readonly SchemaFile[];
  readonly shared: readonly SchemaFile[];
  /** `responses/<event type>.schema.json`: the answers that carry data (provider.json `answers`). */
  readonly answers: readonly SchemaFile[];
}

const schemaSuffix = ".schema.json";

/**
 * Reads every provider folder under `schemasDir`; all problems in the files are gathered into one
 * `SchemaErrors`. A `schemasDir` that cannot be a schemas folder throws a `FolderError`.
 */
export async function loadSchemas(schemasDir: string, root: string): Promise<LoadedProvider[]> {
  const errors: SchemaError[] = [];
  const providers: LoadedProvider[] = [];
  for (const dir of await providerFolders(schemasDir)) {
    const providerDir = path.join(schemasDir, dir);
    const manifestFile = relative(root, path.join(providerDir, "provider.json"));
    const manifestJson = readJson(root, manifestFile, errors);
    const manifest = manifestJson && checkManifest(manifestFile, manifestJson, errors);
    const events = await readSchemaFiles(root, schemasDir, providerDir, errors);
    const shared = await readSchemaFiles(root, schemasDir, path.join(providerDir, "common"), errors);
    const answers = await readSchemaFiles(root, schemasDir, path.join(providerDir, "responses"), errors);
    if (events.length === 0) errors.push(new SchemaError(relative(root, providerDir), "", `no *${schemaSuffix} event files`));
    if (manifest) checkAnswers(manifestFile, manifest, events, answers, errors);
    if (manifest) providers.push({ name: dir, manifestFile, manifest, events, shared, answers });
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return providers;
}

/**
 * Sub-folders of the schemas folder, symbolic links followed, sorted. The folder must exist and
 * be the parent of the provider folders, not one of them.
 */
async function providerFolders(schemasDir: string): Promise<string[]> {
  const shown = shownPath(schemasDir);
  const kind = await stat(schemasDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
    throw new FolderError(`--schemas ${shown}: cannot read it (${error.code ?? error.message})`);
  });
  if (!kind) throw new FolderError(`--schemas ${shown}: no such folder (it holds one folder per provider, each with a provider.json; the default is schemas/)`);
  if (!kind.isDirectory()) throw new FolderError(`--schemas ${shown}: not a folder (it holds one folder per provider, each with a provider.json)`);
  const names = (await readdir(schemasDir)).sort();
  if (names.includes("provider.json")) {
    throw new FolderError(`--schemas ${shown}: this is one provider's folder (it holds provider.json); point --schemas at the folder that holds it: --schemas ${shownPath(path.dirname(schemasDir))}`);
  }
  const isDir = await Promise.all(names.map(async (name) => (await stat(path.join(schemasDir, name)).catch(() => undefined))?.isDirectory() ?? false));
  const folders = names.filter((_, i) => isDir[i]);
  if (folders.length === 0) throw new FolderError(`--schemas ${shown}: holds no provider folder (one folder per provider, each with a provider.json)`);
  return folders;
}

async function readSchemaFiles(root: string, schemasDir: string, dir: string, errors: SchemaError[]): Promise<SchemaFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(schemaSuffix)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: SchemaFile[] = [];
  for (const name of names) {
    const file = relative(root, path.join(dir, name));
    const schema = readJson(root, file, errors);
    if (schema) files.push({ file, path: relative(schemasDir, path.join(dir, name)), base: name.slice(0, -schemaSuffix.length), schema });
  }
  return files;
}

/** Synchronous on purpose: for hundreds of small files it is several times faster than fs/promises. */
function readJson(root: string, file: string, errors: SchemaError[]): JsonSchema | undefined {
  let text: string;
  try {
    text = readFileSync(path.resolve(root, file), "utf8");
  } catch (error) {
    errors.push(new SchemaError(file, "", `cannot read: ${(error as Error).message}`));
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonSchema;
    errors.push(new SchemaError(file, "", "must hold a JSON object"));
  } catch {
    // Where it breaks is found here, not read from the engine's message, whose wording changes between versions.
    const found = findJsonSyntaxError(text);
    errors.push(new SchemaError(file, "", found ? `invalid JSON at line ${found.line}, column ${found.column}: ${found.message}` : "invalid JSON"));
  }
  return undefined;
}

/** Every declared answer names an event and has its schema in responses/, and every file there is declared. */
function checkAnswers(file: string, manifest: ProviderManifest, events: readonly SchemaFile[], answers: readonly SchemaFile[], errors: SchemaError[]): void {
  const declared = Object.keys(manifest.answers ?? {});
  for (const type of declared) {
    const at = `/answers/${type.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (!events.some((event) => event.base === type)) errors.push(new SchemaError(file, at, `${JSON.stringify(type)} is not an event type of this folder`));
    if (!answers.some((answer) => answer.base === type)) errors.push(new SchemaError(file, at, `its answer needs a schema: responses/${type}.schema.json`));
  }
  for (const answer of answers) {
    if (!declared.includes(answer.base)) errors.push(new SchemaError(answer.file, "", `an answer schema whose event is not declared in provider.json "answers"`));
  }
}

/** The path from the project root; a file outside the project (`--schemas /elsewhere`) keeps its absolute path. */
function relative(root: string, file: string): string {
  const inside = path.relative(root, file);
  return (inside.startsWith("..") || path.isAbsolute(inside) ? path.resolve(file) : inside).split(path.sep).join("/");
}
