import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AccessToken, WebhookReceiver } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { parseLiveKitDelivery, signLiveKitDelivery, verifyLiveKitDelivery, verifyLiveKitDeliveryAsync } from "../generated/src/livekit/index.js";
import { root } from "./support.js";

/**
 * Both ways against LiveKit's own JavaScript SDK (livekit-server-sdk): tokens its AccessToken
 * makes verify with ours, tokens our signer makes are accepted by its WebhookReceiver, and both
 * refuse a tampered body, another key's token and an expired one. The body is the one LiveKit's
 * SDK tests sign, byte for byte (the Go encoder's irregular spaces included); key and secret too.
 */
const real = JSON.parse(readFileSync(path.join(root, "test/fixtures/real/livekit/sdk-js-room-started.json"), "utf8")) as { request: { body: string } };
const body = real.request.body;
const apiKey = "abcdefg";
const secret = "abababa";
const options = { secret, apiKey };
const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");

async function theirToken(text: string, { key = apiKey, keySecret = secret, ttl = "6h" }: { key?: string; keySecret?: string; ttl?: string | number } = {}): Promise<string> {
  const token = new AccessToken(key, keySecret, { ttl });
  token.sha256 = sha256(text);
  return token.toJwt();
}

const theirs = new WebhookReceiver(apiKey, secret);
const ours = (authorization: string, text = body) => ({ method: "POST", headers: { "content-type": "application/webhook+json", authorization }, body: text });

describe("LiveKit's JWT-signed deliveries, cross-checked with livekit-server-sdk", () => {
  it("the SDK's test body hashes to the claim its tests sign", () => {
    expect(sha256(body)).toBe("CoEQz1chqJ9bnZRcORddjplkvpjmPujmLTR42DbefYI=");
  });

  it("accepts tokens made by the SDK's AccessToken (no iat, no typ, six hours), on node:crypto and Web Crypto", async () => {
    const request = ours(await theirToken(body));
    expect(verifyLiveKitDelivery(request, options)).toEqual({ ok: true });
    expect(await verifyLiveKitDeliveryAsync(request, options)).toEqual({ ok: true });
    expect(parseLiveKitDelivery(request)).toMatchObject({ ok: true, events: [{ type: "room_started" }] });
  });

  it("makes tokens the SDK's WebhookReceiver accepts", async () => {
    const signed = await signLiveKitDelivery(JSON.parse(body), options);
    await expect(theirs.receive(signed.body, signed.headers.authorization)).resolves.toMatchObject({ event: "room_started", room: { name: "mytestroom" } });
  });

  it("both refuse a tampered body", async () => {
    const tampered = body.replace("mytestroom", "othertestroom");
    const token = await theirToken(body);
    expect(verifyLiveKitDelivery(ours(token, tampered), options)).toMatchObject({ ok: false, error: { code: "signature", message: expect.stringMatching(/sha256/) } });
    await expect(theirs.receive(tampered, token)).rejects.toThrow();
    const signed = await signLiveKitDelivery(JSON.parse(body), options);
    await expect(theirs.receive(tampered, signed.headers.authorization)).rejects.toThrow();
  });

  it("both refuse a token of another API key, and one signed with another secret under this key", async () => {
    const otherKey = await theirToken(body, { key: "another-key", keySecret: "another-secret" });
    expect(verifyLiveKitDelivery(ours(otherKey), options)).toMatchObject({ ok: false, error: { code: "signature", message: expect.stringMatching(/iss/) } });
    await expect(theirs.receive(body, otherKey)).rejects.toThrow();
    const forged = await theirToken(body, { keySecret: "not-abababa" });
    expect(verifyLiveKitDelivery(ours(forged), options)).toMatchObject({ ok: false, error: { code: "signature" } });
    await expect(theirs.receive(body, forged)).rejects.toThrow();
    const ourForged = await signLiveKitDelivery(JSON.parse(body), { ...options, secret: "not-abababa" });
    await expect(theirs.receive(body, ourForged.headers.authorization)).rejects.toThrow();
  });

  it("both refuse an expired token", async () => {
    const expired = await theirToken(body, { ttl: 1 });
    const later = Date.now() + 60_000;
    expect(verifyLiveKitDelivery(ours(expired), { ...options, now: () => later })).toMatchObject({ ok: false, error: { code: "stale" } });
    const old = await signLiveKitDelivery(JSON.parse(body), { ...options, at: Date.now() - 3600_000 });
    expect(verifyLiveKitDelivery(old, options)).toMatchObject({ ok: false, error: { code: "stale" } });
    await expect(theirs.receive(old.body, old.headers.authorization)).rejects.toThrow();
  });

  it("refuses a trigger without apiKey at construction, with the option's name", async () => {
    const { createLiveKitTrigger } = await import("../generated/src/livekit/index.js");
    expect(() => createLiveKitTrigger({ secret } as never)).toThrow(/apiKey/);
    expect(() => createLiveKitTrigger({ secret, apiKey: 7 } as never)).toThrow(/apiKey must be/);
  });
});

describe("LiveKit's API keys and secrets", () => {
  it("pair up in order: a trigger with more keys than secrets is refused at construction", async () => {
    const { createLiveKitTrigger } = await import("../generated/src/livekit/index.js");
    expect(() => createLiveKitTrigger({ secret: ["a-secret"], apiKey: ["a-key", "b-key"] })).toThrow(/apiKey lists 2 name\(s\) for 1 secret/);
    expect(() => createLiveKitTrigger({ secret: ["a-secret", "b-secret"], apiKey: ["a-key", "b-key"] })).not.toThrow();
  });
});
