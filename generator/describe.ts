import type { ProviderManifest } from "./manifest.js";
import type { MechanismSpec, PartSpec, SignatureSpec, TimestampSpec } from "./runtime/core/provider.js";

/** One sentence on how a provider wraps its events, from its provider.json. */
export function describeEnvelope({ envelope }: ProviderManifest): string {
  const holder = envelope.form?.find((field) => field.events)?.field;
  const many = envelope.events === "array-or-single";
  const body = envelope.format === "form"
    ? `a form whose \`${holder}\` field holds ${many ? "a JSON array of events (or one event)" : "one JSON event"}, its other fields kept as \`envelope\``
    : `a JSON body holding ${many ? "an array of events (or one event)" : "one event"}`;
  const strings = envelope.jsonStrings?.length ? `; ${envelope.jsonStrings.map((p) => `\`${p}\``).join(", ")} arrives as a JSON string and is decoded` : "";
  const id = !envelope.id
    ? "the SHA-256 of the event's JSON"
    : "header" in envelope.id
      ? `the \`${envelope.id.header}\` header`
      : envelope.id.pointers.map((p) => `\`${p}\``).join(" + ");
  const fallback = envelope.id?.fallback ? ", or the SHA-256 of the event's JSON when absent" : "";
  return `${capitalise(body)}${strings}; the event type at \`${envelope.discriminant}\`; idempotency key: ${id}${fallback}.`;
}

/** One line per authentication mechanism, from its provider.json declaration. */
export function describeAuthentication(manifest: ProviderManifest): string[] {
  return manifest.authentication.map((spec) => describeMechanism(spec));
}

function describeMechanism(spec: MechanismSpec): string {
  switch (spec.mechanism) {
    case "hmac":
      return `HMAC-${spec.algorithm.toUpperCase()} ${describeSignature(spec.signature)} of ${describeMessage(spec.message)}${describeTimestamp(spec.timestamp)}`;
    case "digest": {
      const algorithm = typeof spec.algorithm === "string" ? spec.algorithm.toUpperCase() : `${spec.algorithm.byLength.map((a) => a.toUpperCase()).join("/")} (the \`${spec.algorithm.option}\` option, else by length)`;
      return `${algorithm} ${describeSignature(spec.signature)} of ${describeMessage(spec.message)}${describeTimestamp(spec.timestamp)}`;
    }
    case "token":
      return `${spec.additional ? `when \`${spec.option}\` is set, also ` : ""}a static ${spec.scheme ? `\`${spec.scheme}\` ` : ""}token in the \`${spec.header}\` header, equal to ${spec.option ? `\`${spec.option}\`` : "the secret"}`;
    case "jwt":
      return `a JWT (${spec.algorithms.join(", ")}) in the \`${spec.header}\` header${spec.issuer ? `, its \`${spec.issuer.claim}\` naming the \`${spec.issuer.option}\` whose secret signed it` : ""}${spec.bodyHash ? `, its \`${spec.bodyHash.claim}\` claim the ${spec.bodyHash.encoding} ${spec.bodyHash.algorithm.toUpperCase()} of the body` : ""}; \`exp\` and \`nbf\` checked with ${spec.leewaySeconds ?? 10} s of leeway`;
  }
}

function describeSignature(spec: SignatureSpec): string {
  const where = spec.header !== undefined ? `\`${spec.header}\` header` : `\`${spec.query}\` query parameter`;
  const grammar = spec.list ? ` (\`${spec.list.scheme}\` entries of a \`${spec.list.separator}\`-separated list)` : spec.prefix !== undefined ? ` (after \`${spec.prefix}\`)` : "";
  return `(${spec.encoding}) in the ${where}${grammar}`;
}

function describeMessage(parts: readonly PartSpec[]): string {
  return parts.map(describePart).join(" + ");
}

function describePart(part: PartSpec): string {
  if ("text" in part) return JSON.stringify(part.text);
  if ("from" in part) return part.from === "url" ? "the path and query" : `the ${part.from}`;
  if ("header" in part) return `the \`${part.header}\` header`;
  if ("query" in part) return `the \`${part.query}\` query parameter`;
  if ("option" in part) return `\`${part.option}\``;
  if ("formJson" in part) return `the JSON of the form's ${part.formJson.fields.map((f) => `\`${f}\``).join(", ")}`;
  return `(${part.anyOf.map(describePart).join(" or ")})`;
}

function describeTimestamp(spec: TimestampSpec | undefined): string {
  if (!spec) return "";
  const where = spec.header !== undefined ? `the \`${spec.header}\` header` : spec.list !== undefined ? `the \`${spec.list}\` entry` : `the \`${spec.form}\` form field`;
  return `; the timestamp (${spec.unit}) in ${where}${spec.optional ? " when sent" : ""} must be within ${spec.toleranceSeconds} s of now`;
}

function capitalise(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
