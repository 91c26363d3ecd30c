import type { Ajv2020 } from "ajv/dist/2020.js";
import { createAjv, dialect, idBase } from "./ajv.js";
import { pointerToken, SchemaError, SchemaErrors } from "./errors.js";
import type { JsonSchema, LoadedProvider, SchemaFile } from "./load.js";
import { isObject, walkSchema } from "./walk.js";
import { checkMetaSchema } from "./meta-schema.js";

/** Keywords a schema may use: what ajv, json-schema-to-typescript and the standalone output all handle. */
const allowedKeywords = new Set([
  "$schema", "$id", "$ref", "$comment", "title", "description", "examples", "default", "deprecated",
  "type", "const", "enum", "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
  "minProperties", "maxProperties", "items", "prefixItems", "minItems", "maxItems", "minLength", "maxLength",
  "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf", "oneOf", "allOf", "not",
]);

/** Why some standard keywords are refused: each would break a promise of the generated package. */
const refusedKeywords: Record<string, string> = {
  format: "ajv-formats makes standalone validators import ajv at runtime; use a \"pattern\" (see common/ for timestamps)",
  uniqueItems: "makes standalone validators import ajv at runtime",
  $async: "makes standalone validators import ajv at runtime",
  $defs: "put shared parts in their own file under common/ so they are emitted once",
  definitions: "put shared parts in their own file under common/ so they are emitted once",
  unevaluatedProperties: "validators keep objects open to fields providers add without notice",
};

/**
 * Checks every schema file against the conventions of schemas/README.md, compiles all of them
 * in ajv strict mode and validates every example. Throws `SchemaErrors` listing each problem
 * with its file and JSON pointer; returns each provider's ajv instance holding its compiled schemas.
 */
export function lintSchemas(providers: readonly LoadedProvider[]): Map<string, Ajv2020> {
  const errors: SchemaError[] = [];
  for (const provider of providers) {
    const sharedIds = new Set(provider.shared.map((source) => idOf(source)));
    for (const source of [...provider.shared, ...provider.answers]) checkRoot(source, errors);
    for (const source of provider.events) {
      checkRoot(source, errors);
      if (source.schema.type !== "object") errors.push(new SchemaError(source.file, "/type", 'must be "object": an event is a JSON object'));
    }
    for (const source of [...provider.shared, ...provider.answers, ...provider.events]) {
      walkSchema(source.schema, (node, at) => checkNode(source, node, at, sharedIds, errors));
      checkMetaSchema(source, errors); // after the walk, which has its own words for the places it checks
    }
    const discriminant = provider.manifest.envelope.discriminant;
    for (const source of provider.events) {
      // An event recognised without its discriminant (provider.json `answers.*.recognise`) has none to check.
      if (provider.manifest.answers?.[source.base]?.recognise) checkExamples(source, errors);
      else checkDiscriminant(source, discriminant.split("/").slice(1), discriminant, errors);
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);

  const instances = new Map<string, Ajv2020>();
  for (const provider of providers) {
    let ajv: Ajv2020;
    try {
      ajv = createAjv(provider);
    } catch (error) {
      errors.push(new SchemaError(`schemas/${provider.name}`, "", (error as Error).message));
      continue;
    }
    instances.set(provider.name, ajv);
    for (const source of [...provider.shared, ...provider.answers, ...provider.events]) compileAndCheckExamples(ajv, source, errors);
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return instances;
}

/** `$id` that a schema file must declare: its path below the schemas folder. */
function idOf(source: SchemaFile): string {
  return idBase + source.path;
}

function checkRoot(source: SchemaFile, errors: SchemaError[]): void {
  const { file, schema } = source;
  const expect = (ok: boolean, pointer: string, message: string) => ok || errors.push(new SchemaError(file, pointer, message));
  expect(schema.$schema === dialect, "/$schema", `must be "${dialect}"`);
  expect(schema.$id === idOf(source), "/$id", `must be "${idOf(source)}" (the file's own path)`);
  expect(isText(schema.title), "/title", "must be a non-empty string");
  expect(isText(schema.description), "/description", "must be a non-empty string taken from the provider's docs");
}

function checkExamples({ file, schema }: SchemaFile, errors: SchemaError[]): void {
  const examples = schema.examples;
  if (!Array.isArray(examples) || examples.length === 0) {
    errors.push(new SchemaError(file, "/examples", "must hold at least one realistic delivery body"));
  }
}

function checkDiscriminant(source: SchemaFile, path: string[], pointer: string, errors: SchemaError[]): void {
  const { file, base, schema } = source;
  checkExamples(source, errors);
  let node: JsonSchema = schema;
  let at = "";
  for (const [index, key] of path.entries()) {
    const required = Array.isArray(node.required) && node.required.includes(key);
    const properties = node.properties as Record<string, JsonSchema> | undefined;
    const child = properties?.[key];
    if (!required || !child) {
      errors.push(new SchemaError(file, `${at}/properties/${pointerToken(key)}`, `the discriminant ${pointer} must be a required property declared here`));
      return;
    }
    node = child;
    at += `/properties/${pointerToken(key)}`;
    if (index === path.length - 1 && node.const !== base) {
      errors.push(new SchemaError(file, `${at}/const`, `must be ${JSON.stringify(base)}, the event type named by the file`));
    }
  }
}

/** The checks of one schema object of a file, `at` its JSON pointer (the walker visits them all). */
function checkNode(source: SchemaFile, node: unknown, at: string, sharedIds: Set<string>, errors: SchemaError[]): void {
  if (typeof node === "boolean") return;
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    errors.push(new SchemaError(source.file, at, "must be a schema object"));
    return;
  }
  const schema = node as JsonSchema;
  for (const [key, value] of Object.entries(schema)) {
    const here = `${at}/${pointerToken(key)}`;
    if (key in refusedKeywords) errors.push(new SchemaError(source.file, here, `"${key}" is not allowed: ${refusedKeywords[key]}`));
    else if (!allowedKeywords.has(key)) errors.push(new SchemaError(source.file, here, `unknown or unsupported keyword "${key}"`));
    else if (key === "title" && at !== "") errors.push(new SchemaError(source.file, here, "only the file's root has a title (titles name generated types)"));
    else if (key === "additionalProperties" && value === false) {
      errors.push(new SchemaError(source.file, here, "must not be false: validators keep objects open to fields providers add"));
    } else if ((key === "const" && isStructured(value)) || (key === "enum" && Array.isArray(value) && value.some(isStructured))) {
      errors.push(new SchemaError(source.file, here, "must hold strings, numbers, booleans or null: structured values make validators import ajv at runtime"));
    } else if (key === "$ref") checkRef(source, value, here, sharedIds, errors);
    else if (key === "allOf" && Array.isArray(value) && !value.every((item) => isObject(item) && Object.keys(item).length === 1 && "$ref" in item)) {
      errors.push(new SchemaError(source.file, here, 'may only list {"$ref": …} entries, which the types merge into one interface'));
    }
  }
  if (isObject(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      const keys = isObject(child) ? Object.keys(child) : [];
      const bare = keys.length === 1 && (keys[0] === "const" || keys[0] === "$ref");
      if (isObject(child) && !bare && !isText(child.description)) {
        errors.push(new SchemaError(source.file, `${at}/properties/${pointerToken(name)}/description`, "is missing: every field says what it means, in the schema author's own words"));
      }
    }
  }
}

function checkRef(source: SchemaFile, ref: unknown, at: string, sharedIds: Set<string>, errors: SchemaError[]): void {
  const target = typeof ref === "string" ? new URL(ref, String(source.schema.$id)).href : "";
  if (typeof ref !== "string" || ref.includes("#") || !sharedIds.has(target)) {
    // Name the files it could refer to, as they would be written from this file.
    const from = String(source.schema.$id).slice(0, String(source.schema.$id).lastIndexOf("/") + 1);
    const choices = [...sharedIds].filter((id) => id !== source.schema.$id).map((id) => (id.startsWith(from) ? id.slice(from.length) : id)).sort();
    const existing = choices.length > 0 ? `; the files it can refer to: ${choices.join(", ")}` : "; this provider has no common/ folder yet";
    const problem = typeof ref === "string" && !ref.includes("#") ? `${JSON.stringify(ref)} is not a file of this provider's common/ folder` : `must be the relative path of a whole file in this provider's common/ folder (got ${JSON.stringify(ref)})`;
    errors.push(new SchemaError(source.file, at, `${problem}${existing}`));
  } else if (target === source.schema.$id) {
    errors.push(new SchemaError(source.file, at, "must not refer to its own file"));
  }
}

function compileAndCheckExamples(ajv: Ajv2020, { file, schema }: SchemaFile, errors: SchemaError[]): void {
  let validate;
  try {
    validate = ajv.getSchema(String(schema.$id));
  } catch (error) {
    errors.push(new SchemaError(file, "", `does not compile in ajv strict mode: ${(error as Error).message}`));
    return;
  }
  if (!validate || !Array.isArray(schema.examples)) return;
  schema.examples.forEach((example, index) => {
    if (validate(example)) return;
    for (const error of validate.errors ?? []) {
      const detail = error.keyword === "required" ? `misses required property "${String(error.params.missingProperty)}"` : `fails "${error.keyword}" ${JSON.stringify(error.params)}`;
      errors.push(new SchemaError(file, `/examples/${index}${error.instancePath}`, `example does not validate: ${detail}`));
    }
  });
}

function isText(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}

function isStructured(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}
