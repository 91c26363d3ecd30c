import { createHash, createHmac } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ProviderDefinition } from "../generated/src/runtime/core/delivery.js";
import type { CompiledSchema } from "../generated/src/runtime/core/validation.js";
import { built } from "./build.js";
import { compare, type CompareOptions, type Comparison } from "./harness.js";
import { callbackUrl, measured, providers, secrets, signedRequest, wireBody, type MeasuredProvider } from "./fixtures.js";

export interface Row {
  readonly what: string;
  readonly baseline: string;
  readonly goal: string;
  readonly met: boolean;
  readonly result: Comparison;
}

const names = Object.keys(measured) as MeasuredProvider[];
// The package as consumers run it: compiled by tsc, imported by Node, not through tsx.
const { parseDelivery, verifyDelivery, providers: definitions } = await built<typeof import("../generated/src/index.js")>("index.js");
// Internals of the runtime, not exported by the package: the measured pieces of parsing.
const { parseWith } = await built<typeof import("../generated/src/runtime/core/delivery.js")>("runtime/core/delivery.js");
const { createValidator } = await built<typeof import("../generated/src/runtime/core/validation.js")>("runtime/core/validation.js");

/** Decoding alone, the floor of parsing: what any receiver must do to read the event. */
function decodeFloor(provider: MeasuredProvider, body: string): () => unknown {
  switch (provider) {
    case "bigbluebutton":
      return () => JSON.parse(new URLSearchParams(body).get("event")!);
    case "iotum":
      return () => {
        const outer = JSON.parse(body);
        outer.payload = JSON.parse(outer.payload);
        return outer;
      };
    default:
      return () => JSON.parse(body);
  }
}

/** The work a signature scheme cannot avoid: one hash of the body (or one comparison). */
function authFloor(provider: MeasuredProvider, request: ReturnType<typeof signedRequest>): () => unknown {
  const key = Buffer.from(secrets.daily, "base64");
  const header = request.headers as Record<string, string>;
  switch (provider) {
    case "whereby":
      return () => createHmac("sha256", secrets.whereby).update(`${header["whereby-signature"]!.slice(2, 12)}.`).update(request.body).digest("hex");
    case "daily":
      return () => createHmac("sha256", key).update(`${header["x-webhook-timestamp"]}.`).update(request.body).digest("base64");
    case "bigbluebutton":
      return () => createHash("sha1").update(callbackUrl).update(request.body).update(secrets.bigbluebutton).digest("hex");
    case "iotum":
      return () => header["x-signing-token"] === secrets.iotum;
  }
}

/** The provider's definition with every validator compiled by ajv at start-up (its defaults) from the same schemas. */
function withRuntimeValidators(provider: MeasuredProvider): ProviderDefinition {
  const ajv = new Ajv2020({ strict: false });
  const loaded = providers.find((p) => p.name === provider)!;
  for (const { schema } of loaded.shared) ajv.addSchema(schema);
  const validators = Object.fromEntries(loaded.events.map((e) => [e.base, createValidator(ajv.compile(e.schema) as CompiledSchema)]));
  return { ...(definitions[provider] as ProviderDefinition), validators };
}

export async function microBenchmarks(options: CompareOptions, log: (row: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (row: Row) => (rows.push(row), log(row));
  for (const provider of names) {
    const body = wireBody(provider);
    const request = { headers: {}, body };
    const result = await compare(decodeFloor(provider, body), () => parseDelivery(provider, request), options);
    add({ what: `parseDelivery, ${provider} ${measured[provider]}`, baseline: "decoding alone", goal: "≤ 1.20×", met: result.median <= 1.2, result });
  }
  for (const provider of names) {
    const request = { headers: {}, body: wireBody(provider) };
    const runtime = withRuntimeValidators(provider);
    const generated = definitions[provider] as ProviderDefinition;
    if (!parseWith(runtime, request).ok || !parseWith(generated, request).ok) throw new Error(`${provider}: the measured example does not validate`);
    const result = await compare(() => parseWith(runtime, request), () => parseWith(generated, request), options);
    add({ what: `parseDelivery with the generated validators, ${provider}`, baseline: "the same with ajv compiled at runtime", goal: "≤ 1.00×", met: result.median <= 1.0, result });
  }
  for (const provider of names) {
    const request = signedRequest(provider);
    const options_ = { secret: secrets[provider], callbackUrl, toleranceSeconds: 3600 };
    if (!verifyDelivery(provider, request, options_).ok) throw new Error(`${provider}: the signed request does not verify`);
    const auth = authFloor(provider, request);
    const decode = decodeFloor(provider, request.body);
    const result = await compare(
      () => (auth(), decode()),
      () => verifyDelivery(provider, request, options_).ok && parseDelivery(provider, request),
      options,
    );
    add({ what: `verifyDelivery + parseDelivery, ${provider}`, baseline: "hash of the body + decoding", goal: "≤ 1.15×", met: result.median <= 1.15, result });
  }
  return rows;
}
