import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { SchemaError } from "./errors.js";
import type { SchemaFile } from "./load.js";

let metaAjv: Ajv2020 | undefined;

/**
 * Checks one schema file against the JSON Schema 2020-12 meta-schema: a keyword with a value of
 * the wrong kind (`"type": "boolen"`, `"minLength": "one"`) is reported with the file, the JSON
 * pointer of the value and what the keyword allows, once per place. (Unknown keywords are the
 * conventions' business: lint names them.) Places that already have a problem are skipped, so
 * that one mistake gives one message.
 */
export function checkMetaSchema(source: SchemaFile, errors: SchemaError[]): void {
  metaAjv ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  if (metaAjv.validateSchema(source.schema) === true) return;
  const reported = new Set(errors.filter((error) => error.file === source.file).map((error) => error.pointer));
  const byPlace = new Map<string, string[]>();
  for (const error of metaAjv.errors ?? []) {
    if (error.keyword === "anyOf" || error.keyword === "oneOf" || error.keyword === "if" || error.keyword === "$dynamicRef") continue;
    const allowed = describe(error);
    const list = byPlace.get(error.instancePath) ?? [];
    if (!list.includes(allowed)) list.push(allowed);
    byPlace.set(error.instancePath, list);
  }
  for (const [pointer, allowed] of byPlace) {
    if (reported.has(pointer) || [...reported].some((other) => other !== "" && pointer.startsWith(`${other}/`))) continue;
    const keyword = decodeToken(pointer.slice(pointer.lastIndexOf("/") + 1));
    const value = valueAt(source.schema, pointer);
    errors.push(new SchemaError(source.file, pointer, `${JSON.stringify(value) ?? "this value"} is not a valid value of "${keyword}": it must be ${joinAlternatives(allowed)}`));
  }
}

/** What one meta-schema error says is allowed, in words. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type": {
      const types = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(",");
      return types.map((type) => (type === "array" ? "an array of them" : `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`)).join(" or ");
    }
    case "enum":
      return `one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "minimum":
      return `a number ≥ ${String(params.limit)}`;
    case "exclusiveMinimum":
      return `a number > ${String(params.limit)}`;
    case "minItems":
      return `a list of at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
    case "uniqueItems":
      return "a list without repeated items";
    case "minProperties":
      return "an object with at least one entry";
    default:
      return error.message ?? error.keyword;
  }
}

/** `["a", "b", "c"]` → `a, b or c`, with an `an array of them` alternative put last. */
function joinAlternatives(allowed: string[]): string {
  const sorted = [...allowed.filter((a) => a !== "an array of them"), ...allowed.filter((a) => a === "an array of them")];
  return sorted.length === 1 ? sorted[0]! : `${sorted.slice(0, -1).join(", ")} or ${sorted.at(-1)!}`;
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointer.split("/").slice(1).map(decodeToken)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
