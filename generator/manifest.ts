import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { AliasDeclaration } from "./aliases.js";
import { SchemaError } from "./errors.js";
import type { JsonSchema } from "./load.js";
import type { MechanismSpec, PartSpec, ProviderDeclaration } from "./runtime/core/provider.js";

/** `schemas/<provider>/provider.json`: the provider as data (schemas/README.md, schemas/provider.schema.json). */
export interface ProviderManifest extends ProviderDeclaration {
  readonly typePrefix: string;
  readonly docs: string;
  /** Names the provider's own SDK uses for our types (checked in generator/aliases.ts). */
  readonly aliases?: AliasDeclaration;
}

let validator: ValidateFunction | undefined;

/** The format of provider.json: the generator's own, kept beside the schemas it describes. */
const formatFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../schemas/provider.schema.json");

/** The format of provider.json, compiled once. */
function validateManifest(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(formatFile, "utf8")) as object;
    validator = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return validator;
}

/**
 * Checks a provider.json against schemas/provider.schema.json (unknown keys, wrong types), then
 * the combinations a schema cannot express (an option used but not declared, a timestamp read
 * from a form that is not there…). Every problem is pushed with the file and JSON pointer.
 */
export function checkManifest(file: string, json: JsonSchema, errors: SchemaError[]): ProviderManifest | undefined {
  const validate = validateManifest();
  if (!validate(json)) {
    for (const error of readableErrors(validate.errors ?? [])) errors.push(new SchemaError(file, error.pointer, error.message));
    return undefined;
  }
  const manifest = json as unknown as ProviderManifest;
  const before = errors.length;
  const problem = (pointer: string, message: string) => errors.push(new SchemaError(file, pointer, message));
  checkEnvelope(manifest, problem);
  checkAuthentication(manifest, problem);
  checkOptions(manifest, problem);
  const names = (manifest.handshakes ?? []).map((handshake) => handshake.name);
  names.forEach((name, index) => names.indexOf(name) !== index && problem(`/handshakes/${index}/name`, `another handshake is already named ${JSON.stringify(name)}`));
  return errors.length === before ? manifest : undefined;
}

type Problem = (pointer: string, message: string) => void;

function checkEnvelope({ envelope }: ProviderManifest, problem: Problem): void {
  if (envelope.format === "form" && !envelope.form) problem("/envelope", 'a "form" envelope lists its fields in "form"');
  if (envelope.format === "json" && envelope.form) problem("/envelope/form", 'only a "form" envelope has form fields');
  if (envelope.form) {
    const holders = envelope.form.filter((field) => field.events);
    if (holders.length !== 1) problem("/envelope/form", `exactly one field holds the events ("events": true), not ${holders.length}`);
    envelope.form.forEach((field, index) => {
      if (envelope.form!.findIndex((other) => other.field === field.field) !== index) problem(`/envelope/form/${index}/field`, `the field ${JSON.stringify(field.field)} is listed twice`);
      if (field.events && field.sign) problem(`/envelope/form/${index}/sign`, "the field that holds the events is written by the signer from the events");
      if (!field.events && !field.sign) problem(`/envelope/form/${index}`, 'say what a signer writes in it ("sign")');
    });
  }
  if (envelope.id && "header" in envelope.id && envelope.events === "array-or-single") {
    problem("/envelope/id/header", "one header cannot identify each of several events: use pointers inside the events");
  }
}

function checkAuthentication(manifest: ProviderManifest, problem: Problem): void {
  const primary = manifest.authentication.filter((spec) => !(spec.mechanism === "token" && spec.additional));
  if (primary.length === 0) problem("/authentication", "needs a mechanism that is not `additional`: one of them must authenticate every delivery");
  manifest.authentication.forEach((spec, index) => {
    const at = `/authentication/${index}`;
    if (spec.mechanism === "token" && spec.additional && spec.option === undefined) problem(`${at}/option`, "an additional token is checked against an option of its own");
    if (spec.mechanism !== "hmac" && spec.mechanism !== "digest") return;
    const kinds = partKinds(spec.message);
    if (spec.mechanism === "digest" && !kinds.has("secret")) problem(`${at}/message`, 'a digest proves nothing without the secret among its parts ({"from": "secret"})');
    if (spec.mechanism === "hmac" && kinds.has("secret")) problem(`${at}/message`, "an HMAC is keyed with the secret: it is not a part of the message");
    if (kinds.has("timestamp") && !spec.timestamp) problem(`${at}/message`, 'the message signs the timestamp: declare where it is ("timestamp")');
    if (kinds.has("formJson") && manifest.envelope.format !== "form") problem(`${at}/message`, "formJson parts need a form envelope");
    if (spec.signature.list && spec.signature.prefix !== undefined) problem(`${at}/signature/prefix`, "a list's entries have a scheme, not a prefix");
    if (spec.timestamp?.list !== undefined && !spec.signature.list) problem(`${at}/timestamp/list`, "the signature must be a list to hold the timestamp");
    if (spec.timestamp?.form !== undefined && manifest.envelope.format !== "form") problem(`${at}/timestamp/form`, "a timestamp read from a form needs a form envelope");
  });
}

/** Every option used is declared with a fitting type, and every declared option is used. */
function checkOptions(manifest: ProviderManifest, problem: Problem): void {
  const declared = manifest.options ?? {};
  const used = new Map<string, { readonly type: string; readonly sign: boolean }>();
  const use = (name: string, type: string, at: string, sign = false) => {
    used.set(name, { type, sign });
    const option = declared[name];
    if (!option) problem(at, `the option ${JSON.stringify(name)} is not declared in "options"`);
    else if (option.type !== type) problem(`/options/${name}/type`, `must be "${type}" for how ${at} uses it`);
    else if ((option.sign ?? false) !== sign) problem(`/options/${name}/sign`, sign ? "must be true: only signers take it" : "must not be set: verifiers read it");
  };
  manifest.authentication.forEach((spec, index) => {
    const at = `/authentication/${index}`;
    if (spec.mechanism === "token" && spec.option !== undefined) use(spec.option, "strings", `${at}/option`);
    if (spec.mechanism === "jwt" && spec.issuer) use(spec.issuer.option, "strings", `${at}/issuer/option`);
    if (spec.mechanism === "digest" && typeof spec.algorithm === "object") use(spec.algorithm.option, "hash", `${at}/algorithm/option`);
    if (spec.mechanism === "hmac" || spec.mechanism === "digest") for (const name of optionParts(spec.message)) use(name, "string", `${at}/message`);
  });
  manifest.envelope.form?.forEach((field, index) => {
    if (field.sign && "default" in field.sign) use(field.field, "string", `/envelope/form/${index}/sign`, true);
  });
  for (const name of Object.keys(declared)) if (!used.has(name)) problem(`/options/${name}`, "is used by no mechanism or form field");
}

function partKinds(parts: readonly PartSpec[]): Set<string> {
  const kinds = new Set<string>();
  for (const part of parts) {
    if ("anyOf" in part) for (const kind of partKinds(part.anyOf)) kinds.add(kind);
    else if ("from" in part) kinds.add(part.from);
    else kinds.add(Object.keys(part)[0]!);
  }
  return kinds;
}

function optionParts(parts: readonly PartSpec[]): string[] {
  return parts.flatMap((part) => ("option" in part ? [part.option] : "anyOf" in part ? optionParts(part.anyOf) : []));
}

/**
 * ajv's errors as one message per place: an unknown key is named, a failed `oneOf` says so once
 * instead of listing why each of its shapes failed, and `if`/`then` noise is dropped.
 */
function readableErrors(errors: readonly ErrorObject[]): { pointer: string; message: string }[] {
  const oneOfs = errors.filter((error) => error.keyword === "oneOf").map((error) => error.schemaPath);
  const seen = new Set<string>();
  const out: { pointer: string; message: string }[] = [];
  for (const error of errors) {
    if (error.keyword === "if") continue;
    if (oneOfs.some((schemaPath) => error.schemaPath.startsWith(`${schemaPath}/`))) continue;
    const pointer = error.keyword === "additionalProperties" ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.instancePath;
    const message =
      error.keyword === "additionalProperties" ? "is not a known key here (see schemas/README.md, provider.json)"
      : error.keyword === "oneOf" ? "matches none of the shapes allowed here (see schemas/README.md, provider.json)"
      : error.keyword === "enum" ? `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
      : (error.message ?? error.keyword);
    const line = `${pointer} ${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ pointer, message });
  }
  return out;
}

/** The mechanisms a declaration lists, for code that only needs their names. */
export function mechanismNames(manifest: ProviderManifest): MechanismSpec["mechanism"][] {
  return manifest.authentication.map((spec) => spec.mechanism);
}
