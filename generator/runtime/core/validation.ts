import type { StandardSchemaV1 } from "./standard-schema.js";

/** One reason a value was rejected. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the offending value inside the event, `""` for the event itself. */
  readonly pointer: string;
  /** What is wrong, in words, e.g. `must be one of "host", "visitor"`. */
  readonly message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `enum`, …) or `discriminant`. */
  readonly keyword: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks an unknown value against one schema. Call it directly for a typed result, or hand it
 * to any library that accepts a Standard Schema (`validator["~standard"]`).
 */
export interface Validator<T> extends StandardSchemaV1<unknown, T> {
  (value: unknown): ValidationResult<T>;
  /** The same check as a type guard: no result object, for hot paths. */
  is(value: unknown): value is T;
}

/** The shape of a validator compiled ahead of time by ajv's standalone code generator. */
export interface CompiledSchema {
  (value: unknown): boolean;
  errors?: ReadonlyArray<CompiledSchemaError> | null;
}

/** The parts of an ajv error object that the messages are built from. */
export interface CompiledSchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Wraps a compiled schema into a typed `Validator` with readable issues. */
export function createValidator<T>(compiled: CompiledSchema): Validator<T> {
  const validate = ((value: unknown): ValidationResult<T> =>
    compiled(value)
      ? { ok: true, value: value as T }
      : { ok: false, issues: (compiled.errors ?? []).map(toIssue) }) as Validator<T>;
  return withStandardSchema(validate, compiled as (value: unknown) => value is T);
}

/**
 * Builds the validator of a provider's whole event union: it reads the discriminant first and
 * runs only that event's schema, so an error names the field that is wrong, not every event.
 */
export function createEventValidator<T>(
  discriminant: readonly string[],
  validators: Readonly<Record<string, Validator<unknown>>>,
  // Stryker disable next-line ArrayDeclaration: static: the generated validators are built when their module loads, before Stryker's runner activates a mutant; planted by hand, "a provider that recognises none" (test/mutation-kills-validation.test.ts) fails
  recognised: readonly RecognisedEvent[] = [],
): Validator<T> {
  const pointer = toPointer(discriminant);
  const typeOf = (value: unknown) => eventTypeOf(value, discriminant, recognised);
  const validate = ((value: unknown): ValidationResult<T> => {
    const type = typeOf(value);
    if (typeof type !== "string") {
      return fail(pointer, "discriminant", type === undefined ? "is required" : "must be a string");
    }
    const validator = Object.hasOwn(validators, type) ? validators[type] : undefined;
    if (validator === undefined) return fail(pointer, "discriminant", `is an unknown event type ${JSON.stringify(type)}`);
    return validator(value) as ValidationResult<T>;
  }) as Validator<T>;
  const is = (value: unknown): value is T => {
    const type = typeOf(value);
    return typeof type === "string" && Object.hasOwn(validators, type) && validators[type]!.is(value);
  };
  return withStandardSchema(validate, is);
}

/** An event sent without the discriminant, known by the values it holds (provider.json `answers.*.recognise`). */
export interface RecognisedEvent {
  readonly type: string;
  readonly present: readonly (readonly string[])[];
  readonly absent?: readonly (readonly string[])[] | undefined;
}

/** The event's type: its discriminant, or, when it has none, the first recognised event whose values it holds. */
export function eventTypeOf(value: unknown, discriminant: readonly string[], recognised: readonly RecognisedEvent[]): unknown {
  const type = readPath(value, discriminant);
  if (type !== undefined) return type;
  // A body without the discriminant: rare, so the search need not be fast, nor skipped when there
  // are no rules. Nor need a body that is not an object be set apart: every rule names at least one
  // value inside the event (provider.schema.json: `present` has at least one pointer, each with a
  // token), which such a body does not hold, so no rule recognises it.
  return recognised.find((rule) => rule.present.every((path) => readPath(value, path) !== undefined) && !rule.absent?.some((path) => readPath(value, path) !== undefined))?.type;
}

/** Reads a nested property, `undefined` when any step is missing or not an object. */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Formats an issue as one line: `/data/roleName: must be one of …`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.pointer || "(root)"}: ${issue.message}`;
}

function fail<T>(pointer: string, keyword: string, message: string): ValidationResult<T> {
  return { ok: false, issues: [{ pointer, keyword, message }] };
}

function withStandardSchema<T>(validate: Validator<T>, is: (value: unknown) => value is T): Validator<T> {
  Object.defineProperty(validate, "is", { value: is });
  Object.defineProperty(validate, "~standard", {
    value: {
      version: 1,
      vendor: "confhooks",
      validate: (value: unknown): StandardSchemaV1.Result<T> => {
        const result = validate(value);
        return result.ok
          ? { value: result.value }
          : { issues: result.issues.map((issue) => ({ message: issue.message, path: toPath(issue.pointer) })) };
      },
    } satisfies StandardSchemaV1.Props<unknown, T>,
  });
  return validate;
}

function toIssue(error: CompiledSchemaError): ValidationIssue {
  const { instancePath, keyword, params } = error;
  if (keyword === "required") {
    return { pointer: `${instancePath}/${escapeToken(String(params.missingProperty))}`, keyword, message: "is required" };
  }
  return { pointer: instancePath, keyword, message: describe(keyword, params) };
}

function describe(keyword: string, params: Readonly<Record<string, unknown>>): string {
  switch (keyword) {
    case "type":
      return `must be ${[params.type].flat().join(" or ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `must match the pattern ${String(params.pattern)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case "minLength":
      return `must have at least ${String(params.limit)} characters`;
    case "maxLength":
      return `must have at most ${String(params.limit)} characters`;
    case "minItems":
      return `must have at least ${String(params.limit)} items`;
    case "maxItems":
      return `must have at most ${String(params.limit)} items`;
    case "anyOf":
    case "oneOf":
      return "must match one of the allowed shapes";
    default:
      return `fails the "${keyword}" rule`;
  }
}

function toPointer(path: readonly string[]): string {
  return path.map((key) => `/${escapeToken(key)}`).join("");
}

function toPath(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function escapeToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
