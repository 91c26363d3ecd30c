import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { SchemaError, SchemaErrors } from "./errors.js";
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

/** Reads every provider folder under `schemasDir`; all problems are gathered into one `SchemaErrors`. */
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
  if (providers.length === 0 && errors.length === 0) errors.push(new SchemaError(relative(root, schemasDir), "", "no provider folders"));
  if (errors.length > 0) throw new SchemaErrors(errors);
  return providers;
}

/** Sub-folders of the schemas folder, symbolic links followed, sorted. */
async function providerFolders(schemasDir: string): Promise<string[]> {
  const names = (await readdir(schemasDir)).sort();
  const isDir = await Promise.all(names.map(async (name) => (await stat(path.join(schemasDir, name))).isDirectory()));
  return names.filter((_, i) => isDir[i]);
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
    text = readFileSync(path.join(root, file), "utf8");
  } catch (error) {
    errors.push(new SchemaError(file, "", `cannot read: ${(error as Error).message}`));
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonSchema;
    errors.push(new SchemaError(file, "", "must hold a JSON object"));
  } catch (error) {
    errors.push(new SchemaError(file, "", `invalid JSON: ${locate((error as Error).message, text)}`));
  }
  return undefined;
}

/** Turns V8's "at position N" into a line and column a contributor can jump to. */
function locate(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line}, column ${column})`;
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

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
