import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import type { LoadedProvider } from "../generator/load.js";
import type { HandshakeSpec } from "../generator/runtime/core/provider.js";
import { encodeBody, mutate, optionsFor, otherSecretFor } from "./support.js";

/** The parts of a generated package the battery drives, whatever its providers: its Web entry and its Node entry. */
export interface GeneratedPackage {
  readonly web: Record<string, any>;
  readonly node: Record<string, any>;
}

/**
 * The tests every provider passes, derived from its folder alone (schemas, examples and
 * provider.json): validators and guards, parsing, verification on node:crypto and Web Crypto,
 * signing, the trigger over `fetch` and over node:http, deduplication by idempotency key.
 * A new provider is tested the day its folder exists.
 */
export function providerBattery(pkg: GeneratedPackage, provider: LoadedProvider): void {
  const { name, manifest } = provider;
  const prefix = manifest.typePrefix;
  const options = optionsFor(provider);
  const examples = provider.events.flatMap((source) => (source.schema.examples as unknown[]).map((example) => ({ type: source.base, example })));
  const first = examples[0]!;
  const primary = manifest.authentication.filter((spec) => !(spec.mechanism === "token" && spec.additional));
  const timestamped = primary.some((spec) => (spec.mechanism === "hmac" || spec.mechanism === "digest") && spec.timestamp && !spec.timestamp.optional);
  /** Whether every mechanism that authenticates binds the body (a static token does not). */
  const bindsBody = primary.every((spec) => spec.mechanism === "hmac" || spec.mechanism === "digest" || (spec.mechanism === "jwt" && spec.bodyHash !== undefined));

  describe(`${name}: the provider battery`, () => {
    it("validators and guards accept every example and refuse it with its event type broken", () => {
      const validate = pkg.web[`validate${prefix}Event`] as (value: unknown) => { ok: boolean; issues?: { pointer: string }[] };
      const guard = pkg.web[`is${prefix}Event`] as (value: unknown) => boolean;
      for (const { example } of examples) {
        expect(validate(example)).toEqual({ ok: true, value: example });
        expect(guard(example)).toBe(true);
        const broken = mutate(example, { set: { [manifest.envelope.discriminant]: 42 } });
        expect(validate(broken)).toMatchObject({ ok: false, issues: [{ pointer: manifest.envelope.discriminant }] });
        expect(guard(broken)).toBe(false);
      }
    });

    it("parses every example in its envelope, with its type and a key", () => {
      for (const { type, example } of examples) {
        const result = pkg.web.parseDelivery(name, { headers: {}, body: encodeBody(provider, example) });
        if (manifest.envelope.id && "header" in manifest.envelope.id && !manifest.envelope.id.fallback) {
          expect(result).toMatchObject({ ok: false, error: { code: "invalid", type } }); // no id header: refused, not keyed by chance
          continue;
        }
        expect(result).toMatchObject({ ok: true, events: [{ provider: name, type, event: example }] });
        expect(result.events[0].key).toMatch(/\S/);
      }
    });

    it("signs, and verifies what it signed on node:crypto and Web Crypto; refuses a tampered body, another secret and no credential", async () => {
      const signed = await pkg.web.signDelivery(name, first.example, options);
      expect(pkg.node.verifyDelivery(name, signed, options)).toEqual({ ok: true });
      expect(await pkg.web.verifyDeliveryAsync(name, signed, options)).toEqual({ ok: true });
      const tampered = { ...signed, body: signed.body.replace(/.$/, (c: string) => (c === "}" ? " }" : `${c} `)) };
      for (const request of [...(bindsBody ? [tampered] : []), await pkg.web.signDelivery(name, first.example, { ...options, secret: otherSecretFor(provider) }), { url: "/", headers: {}, body: signed.body }]) {
        expect(pkg.node.verifyDelivery(name, request, options)).toMatchObject({ ok: false, error: { code: "signature" } });
        expect(await pkg.web.verifyDeliveryAsync(name, request, options)).toMatchObject({ ok: false, error: { code: "signature" } });
      }
      const body = await pkg.web.signBody(name, signed.body, options);
      expect(pkg.node.verifyDelivery(name, body, options)).toEqual({ ok: true });
    });

    it.runIf(timestamped)("refuses a delivery signed outside the replay window", async () => {
      const old = await pkg.web.signDelivery(name, first.example, { ...options, at: Date.now() - 2 * 24 * 3600 * 1000 });
      expect(pkg.node.verifyDelivery(name, old, options)).toMatchObject({ ok: false, error: { code: "stale" } });
      expect(await pkg.web.verifyDeliveryAsync(name, old, options)).toMatchObject({ ok: false, error: { code: "stale" } });
    });

    it("serves a trigger over fetch: 200, the matcher gets the event, a retry is a duplicate", async () => {
      const matcher = vi.fn(() => true);
      const trigger = pkg.web.createTrigger({ ...options, provider: name, webhookTriggers: { [first.type]: matcher }, onError: () => {} });
      const signed = await pkg.web.signDelivery(name, first.example, options);
      const post = () => trigger.fetch(new Request(`http://receiver${signed.url}`, { method: "POST", headers: signed.headers, body: signed.body }));
      const response = await post();
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { ok: true, events: 1, unknown: 0, invalid: 0, duplicates: 0 } });
      expect(matcher).toHaveBeenCalledWith(first.example);
      expect(await (await post()).json()).toMatchObject({ ok: true, duplicates: 1 });
      expect(matcher).toHaveBeenCalledOnce();
      const forged = await pkg.web.signDelivery(name, first.example, { ...options, secret: otherSecretFor(provider) });
      expect((await trigger.fetch(new Request("http://receiver/", { method: "POST", headers: forged.headers, body: forged.body }))).status).toBe(401);
    });

    for (const handshake of manifest.envelope.format === "json" ? (manifest.handshakes ?? []) : []) {
      it(`answers its ${handshake.name} handshake through fetch and answerHandshake, and refuses it forged`, async () => {
        const body = JSON.stringify(handshakeBody(handshake));
        const matcher = vi.fn(() => true);
        const trigger = pkg.web.createTrigger({ ...options, provider: name, webhookTriggers: { [first.type]: matcher }, onError: () => {} });
        const signed = await pkg.web.signBody(name, body, options);
        const response = await trigger.fetch(new Request(`http://receiver${signed.url}`, { method: "POST", headers: signed.headers, body }));
        const answer = await response.json();
        expect(response.status).toBe(200);
        if (handshake.answer) expect(Object.keys(answer).sort()).toEqual(Object.keys(handshake.answer.json).sort());
        else expect(answer).toMatchObject({ ok: true, events: 0 });
        expect(matcher).not.toHaveBeenCalled();
        const own = await pkg.web.answerHandshake(name, signed, options);
        expect({ status: own.status, body: JSON.parse(own.body) }).toEqual({ status: 200, body: answer });
        const forged = await pkg.web.signBody(name, body, { ...options, secret: otherSecretFor(provider) });
        expect((await trigger.fetch(new Request("http://receiver/", { method: "POST", headers: forged.headers, body }))).status).toBe(401);
        expect(await pkg.web.answerHandshake(name, forged, options)).toMatchObject({ status: 401 });
      });
    }

    it("serves a trigger over node:http: 200 for a signed delivery, 401 for a forged one", async () => {
      const matcher = vi.fn(() => true);
      const trigger = pkg.node.createTrigger({ ...options, provider: name, port: 0, host: "127.0.0.1", webhookTriggers: { [first.type]: matcher }, onError: () => {} });
      const { port } = (await trigger.start()) as AddressInfo;
      try {
        const post = async (request: { url: string; headers: Record<string, string>; body: string }) => {
          const response = await fetch(`http://127.0.0.1:${port}${request.url}`, { method: "POST", headers: request.headers, body: request.body });
          return { status: response.status, body: await response.json() };
        };
        expect(await post(await pkg.web.signDelivery(name, first.example, options))).toEqual({ status: 200, body: { ok: true, events: 1, unknown: 0, invalid: 0, duplicates: 0 } });
        expect(matcher).toHaveBeenCalledWith(first.example);
        expect((await post(await pkg.web.signDelivery(name, first.example, { ...options, secret: otherSecretFor(provider) }))).status).toBe(401);
      } finally {
        await trigger.stop();
      }
    });
  });
}

/** A body that is the handshake: its matched values, and a string wherever its answer reads one. */
export function handshakeBody(handshake: HandshakeSpec): unknown {
  let document: unknown = {};
  const set = (pointer: string, value: unknown) => {
    if (pointer === "") return void (document = structuredClone(value));
    const path = pointer.slice(1).split("/");
    let parent = document as Record<string, unknown>;
    for (const key of path.slice(0, -1)) parent = (parent[key] ??= {}) as Record<string, unknown>;
    parent[path[path.length - 1]!] = value;
  };
  for (const [pointer, value] of Object.entries(handshake.match)) set(pointer, value);
  for (const value of Object.values(handshake.answer?.json ?? {})) {
    if ("pointer" in value) set(value.pointer, "token-for-tests");
    if ("hmac" in value) for (const part of value.hmac.message) if ("pointer" in part) set(part.pointer, "token-for-tests");
  }
  return document;
}
