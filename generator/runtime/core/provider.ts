import type { Validator } from "./validation.js";

/**
 * A provider's `provider.json` as the runtime reads it: how deliveries are wrapped, how they are
 * authenticated, which requests are handshakes. The shape is checked by
 * `schemas/provider.schema.json` when the package is generated; schemas/README.md documents it.
 */
export interface ProviderDeclaration {
  readonly title: string;
  /** The prefix of the provider's generated names (`Whereby`): errors name `createWherebyTrigger`. */
  readonly typePrefix?: string | undefined;
  readonly envelope: EnvelopeSpec;
  readonly authentication: readonly MechanismSpec[];
  readonly secret?: SecretSpec | undefined;
  readonly options?: Readonly<Record<string, OptionSpec>> | undefined;
  readonly handshakes?: readonly HandshakeSpec[] | undefined;
  readonly answers?: Readonly<Record<string, AnswerSpec>> | undefined;
  readonly answerWithinMs?: number | undefined;
}

/** Everything the runtime needs to receive one provider's webhooks; generated per provider. */
export interface ProviderDefinition<Name extends string = string, EventMap = Record<string, unknown>> extends ProviderDeclaration {
  readonly name: Name;
  readonly eventTypes: readonly (keyof EventMap & string)[];
  readonly validators: { readonly [Type in keyof EventMap]: Validator<EventMap[Type]> };
  /** The validator of each answer that carries data, by event type. */
  readonly answerValidators?: Readonly<Record<string, Validator<unknown>>> | undefined;
}

/** An event whose answer carries data; its answer's schema is `responses/<event type>.schema.json`. */
export interface AnswerSpec {
  /** For an event sent without the discriminant: it is this event when these values are present. */
  readonly recognise?: { readonly present: readonly string[]; readonly absent?: readonly string[] | undefined } | undefined;
}

export type HashAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";
export type DigestEncoding = "hex" | "base64" | "base64url";

export interface EnvelopeSpec {
  readonly format: "json" | "form";
  /** For `form`: the fields in the order a sender writes them; one holds the events. */
  readonly form?: readonly FormFieldSpec[] | undefined;
  /** `single` by default. */
  readonly events?: "single" | "array-or-single" | undefined;
  /** JSON pointers of values inside an event that arrive as JSON strings. */
  readonly jsonStrings?: readonly string[] | undefined;
  /** JSON pointer of the event type inside an event. */
  readonly discriminant: string;
  readonly id?: IdSpec | undefined;
}

export interface FormFieldSpec {
  readonly field: string;
  readonly events?: true | undefined;
  readonly sign?: { readonly default: string } | { readonly time: "seconds" | "milliseconds" } | undefined;
}

export type IdSpec =
  | { readonly pointers: readonly string[]; readonly fallback?: "content" | undefined }
  | { readonly header: string; readonly fallback?: "content" | undefined };

export type MechanismSpec = HmacSpec | DigestSpec | TokenSpec | JwtSpec;

export interface HmacSpec {
  readonly mechanism: "hmac";
  readonly algorithm: HashAlgorithm;
  readonly message: readonly PartSpec[];
  readonly signature: SignatureSpec;
  readonly timestamp?: TimestampSpec | undefined;
}

export interface DigestSpec {
  readonly mechanism: "digest";
  readonly algorithm: HashAlgorithm | { readonly option: string; readonly byLength: readonly HashAlgorithm[] };
  readonly message: readonly PartSpec[];
  readonly signature: SignatureSpec;
  readonly timestamp?: TimestampSpec | undefined;
}

export interface TokenSpec {
  readonly mechanism: "token";
  readonly header: string;
  readonly scheme?: string | undefined;
  /** The option holding the expected values; `secret` by default. */
  readonly option?: string | undefined;
  readonly additional?: true | undefined;
}

export interface JwtSpec {
  readonly mechanism: "jwt";
  readonly header: string;
  readonly scheme?: string | undefined;
  readonly algorithms: readonly ("HS256" | "HS384" | "HS512")[];
  readonly issuer?: { readonly claim: string; readonly option: string } | undefined;
  readonly bodyHash?: { readonly claim: string; readonly algorithm: HashAlgorithm; readonly encoding: DigestEncoding } | undefined;
  readonly leewaySeconds?: number | undefined;
  readonly lifetimeSeconds?: number | undefined;
}

export type PartSpec =
  | { readonly text: string }
  | { readonly from: "body" | "timestamp" | "secret" | "url" }
  | { readonly header: string }
  | { readonly query: string }
  | { readonly option: string }
  | { readonly formJson: FormJsonSpec }
  | { readonly anyOf: readonly PartSpec[] };

export interface FormJsonSpec {
  readonly fields: readonly string[];
  readonly numbers?: readonly string[] | undefined;
  readonly firstField?: string | undefined;
}

export interface SignatureSpec {
  readonly header?: string | undefined;
  readonly query?: string | undefined;
  readonly prefix?: string | undefined;
  readonly list?: { readonly separator: string; readonly assign: string; readonly scheme: string } | undefined;
  readonly encoding: DigestEncoding;
}

export interface TimestampSpec {
  readonly header?: string | undefined;
  readonly list?: string | undefined;
  readonly form?: string | undefined;
  readonly unit: "seconds" | "milliseconds" | "seconds-or-milliseconds";
  readonly toleranceSeconds: number;
  readonly optional?: true | undefined;
}

export interface SecretSpec {
  readonly encoding: "utf8" | "base64" | "hex";
  readonly prefix?: string | undefined;
  readonly minBytes?: number | undefined;
  readonly about?: string | undefined;
}

export interface OptionSpec {
  readonly type: "string" | "strings" | "hash";
  readonly description: string;
  readonly sign?: true | undefined;
}

export interface HandshakeSpec {
  readonly name: string;
  readonly description: string;
  /** JSON pointer → the JSON value the decoded body holds there. */
  readonly match: Readonly<Record<string, unknown>>;
  readonly answer?: { readonly json: Readonly<Record<string, AnswerValueSpec>> } | undefined;
}

export type AnswerValueSpec =
  | { readonly text: string }
  | { readonly pointer: string }
  | { readonly hmac: { readonly algorithm: HashAlgorithm; readonly message: readonly ({ readonly text: string } | { readonly pointer: string })[]; readonly encoding: DigestEncoding } };

/** RFC 6901 pointer → property path; `""` → `[]`. */
export function pointerPath(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The trigger's default `responseTimeoutMs`: 4 s, or 80 % of the provider's deadline when it wants an answer sooner. */
export function defaultResponseTimeoutMs(answerWithinMs: number | undefined): number {
  return answerWithinMs === undefined ? 4000 : Math.min(4000, Math.floor(answerWithinMs * 0.8));
}
