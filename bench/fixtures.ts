import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchemas } from "../generator/load.js";
import { encodeBody, sign } from "../test/support.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const providers = await loadSchemas(path.join(root, "schemas"), root);

/** The realistic event each provider is measured with (the choice). */
export const measured = { whereby: "room.client.joined", daily: "participant.joined", bigbluebutton: "user-joined", iotum: "enter_conference" } as const;
export type MeasuredProvider = keyof typeof measured;

export { callbackUrl, secrets } from "../test/support.js";

/** The first example of an event schema: a documented, realistic event. */
export function example(provider: string, type: string): unknown {
  const source = providers.find((p) => p.name === provider)!.events.find((e) => e.base === type)!;
  return (source.schema.examples as unknown[])[0];
}

/** The measured event as its provider puts it on the wire. */
export function wireBody(provider: MeasuredProvider): string {
  return encodeBody(provider, example(provider, measured[provider]));
}

export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The measured event signed as the provider would send it, `at` a time in ms. */
export function signedRequest(provider: MeasuredProvider, body = wireBody(provider), at = Date.now()): SignedRequest {
  return { method: "POST", ...sign(provider, body, { at }), body };
}
