// Tests written to kill mutants that survived `npm run mutate` in generator/runtime/core/jwt.ts
// (test/MUTATION.md): LiveKit's tokens through the public API, made here with node:crypto; the
// parts LiveKit does not declare (no issuer, no body hash, a scheme, several algorithms, a
// secret rule) through the runtime's own entry points with a declaration made here.
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifyDelivery, verifyDeliveryAsync, type DeliveryRequest, type VerifyResult } from "../generated/src/index.js";
import type { JwtSpec, ProviderDeclaration } from "../generated/src/runtime/core/provider.js";
import { signBodyWith } from "../generated/src/runtime/core/signing.js";
import { verifyWithWebCrypto } from "../generated/src/runtime/core/webcrypto.js";
import { verifyWith } from "../generated/src/runtime/node/verify.js";

const nbf = 1_700_000_000;
const exp = nbf + 300;
const at = nbf * 1000;
const body = '{"event":"room_started","room":{"sid":"RM_x","name":"standup"}}';
const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
const options = { secret: "lk-secret", apiKey: "lk-key", now: () => at };
const where = "the Authorization header (a JWT)";

const segment = (value: unknown) => (typeof value === "string" ? value : Buffer.from(JSON.stringify(value)).toString("base64url"));
/** A JWT signed with node:crypto: header and claims as JSON (or as a ready segment), HMAC over both segments. */
function token(header: unknown, claims: unknown, key = "lk-secret", algorithm = "sha256"): string {
  const input = `${segment(header)}.${segment(claims)}`;
  return `${input}.${createHmac(algorithm, key).update(input).digest("base64url")}`;
}
const HS256 = { alg: "HS256", typ: "JWT" };
const claims = (extra: Record<string, unknown> = {}) => ({ iss: "lk-key", nbf, exp, sha256: sha256(body), ...extra });
const request = (authorization: string, text = body) => ({ headers: { authorization }, body: text });
const refused = (code: "signature" | "stale", message: string) => ({ ok: false, error: { code, message } });
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

async function livekit(authorization: string, extra: Record<string, unknown> = {}, text = body): Promise<VerifyResult> {
  const sync = verifyDelivery("livekit", request(authorization, text), { ...options, ...extra } as never);
  expect(await verifyDeliveryAsync("livekit", request(authorization, text), { ...options, ...extra } as never), "Web Crypto").toEqual(sync);
  return sync;
}

async function verdictOf(provider: ProviderDeclaration, authorization: string, extra: Record<string, unknown>): Promise<VerifyResult> {
  const sync = verifyWith(provider, request(authorization) as DeliveryRequest, extra as never);
  expect(await verifyWithWebCrypto(provider, request(authorization) as DeliveryRequest, extra as never), "Web Crypto").toEqual(sync);
  return sync;
}

describe("jwt.ts: LiveKit's tokens", () => {
  // First in this file: which options a provider requires is computed once per provider, and
  // Stryker runs a mutant only with the tests that reached its code when it was computed.
  it("apiKey is required to verify", () => {
    expect(() => verifyDelivery("livekit", request(token(HS256, claims())), { secret: "lk-secret" } as never)).toThrow(/set `apiKey`/);
  });

  it("a token with spaces around it, and one whose segments hold both base64url-only characters", async () => {
    expect(await livekit(` ${token(HS256, claims())} `)).toEqual({ ok: true });
    const padded = [0, 1, 2, 3, 4, 5].map((n) => claims({ pad: `${"x".repeat(n)}>>>???` })).find((c) => /-/.test(segment(c)) && /_/.test(segment(c)))!;
    expect(await livekit(token(HS256, padded))).toEqual({ ok: true });
  });

  it("what is not a JWT, named so: not three parts; a header or claims that are not base64url of a UTF-8 JSON object", async () => {
    for (const value of ["a.b", "a.b.c.d", "abc"]) expect(await livekit(value), value).toEqual(refused("signature", `${where} is not a JWT (three base64url parts)`));
    const good = segment(HS256);
    const spaced = `${good.slice(0, 5)} ${good.slice(5)}`; // atob would skip the space
    const invalid = [
      token("!!!", claims()), token(spaced, claims()), token(`${good}=`, claims()), token("e", claims()), token([1], claims()), token(null, claims()), token(5, claims()),
      token(HS256, "!!!"), token(HS256, Buffer.from('{"iss":"lk-key","x":"\xff"}', "latin1").toString("base64url")), token(HS256, [claims()]),
    ];
    for (const value of invalid) expect(await livekit(value), value).toEqual(refused("signature", `${where} is not a JWT: its header or claims are not base64url JSON objects`));
  });

  it("only the declared algorithms, never none; no critical header parameters", async () => {
    expect(await livekit(token({ alg: "none" }, claims()))).toEqual(refused("signature", `${where} is signed with "none"; only HS256 are accepted`));
    expect(await livekit(token({ typ: "JWT" }, claims()))).toEqual(refused("signature", `${where} is signed with undefined; only HS256 are accepted`));
    expect(await livekit(token({ alg: "HS512" }, claims(), "lk-secret", "sha512"))).toEqual(refused("signature", `${where} is signed with "HS512"; only HS256 are accepted`));
    expect(await livekit(token({ ...HS256, crit: ["exp"] }, claims()))).toEqual(refused("signature", `${where} has critical header parameters, which are not supported`));
  });

  it("exp is required and nbf optional, both numbers", async () => {
    for (const value of [undefined, "1700000300"]) expect(await livekit(token(HS256, claims({ exp: value }))), String(value)).toEqual(refused("signature", "the token has no exp claim"));
    expect(await livekit(token(HS256, claims({ nbf: "soon" })))).toEqual(refused("signature", "the token's nbf claim is not a number"));
    expect(await livekit(token(HS256, claims({ nbf: undefined })))).toEqual({ ok: true });
  });

  it("the leeway (10 s, or toleranceSeconds) on either side, saying by how much a token is off", async () => {
    const good = token(HS256, claims());
    const clock = (seconds: number) => ({ now: () => seconds * 1000 });
    expect(await livekit(good, clock(exp + 5))).toEqual({ ok: true });
    expect(await livekit(good, clock(exp + 10))).toEqual({ ok: true });
    expect(await livekit(good, clock(exp + 11))).toEqual(refused("stale", "the token expired 11 s ago"));
    expect(await livekit(good, clock(nbf - 10))).toEqual({ ok: true });
    expect(await livekit(good, clock(nbf - 11))).toEqual(refused("stale", "the token is valid only in 11 s"));
    expect(await livekit(good, { ...clock(exp + 30), toleranceSeconds: 60 })).toEqual({ ok: true });
    expect(await livekit(good, { ...clock(exp), toleranceSeconds: 0 })).toEqual({ ok: true });
    expect(await livekit(good, { ...clock(exp + 1), toleranceSeconds: 0 })).toMatchObject({ ok: false, error: { code: "stale" } });
    const cannot = refused("stale", "the token's times cannot be checked: `now()` or `toleranceSeconds` is not a finite number");
    expect(await livekit(good, { toleranceSeconds: -1 })).toEqual(cannot);
    expect(await livekit(good, { now: () => Number.NaN })).toEqual(cannot);
  });

  it("the issuer picks the secret: another key's name, a name that is not a string, no names at all are refused", async () => {
    expect(await livekit(token(HS256, claims({ iss: "other" })))).toEqual(refused("signature", 'the token\'s iss claim "other" is not a configured apiKey'));
    const two = { secret: ["s1", "s2"], apiKey: ["k1", "k2"] };
    expect(await livekit(token(HS256, claims({ iss: "k2" }), "s2"), two)).toEqual({ ok: true });
    expect(await livekit(token(HS256, claims({ iss: "k1" }), "s2"), two)).toEqual(refused("signature", `the signature of ${where} does not match`));
    expect(await livekit(token(HS256, claims({ iss: 123 }), "s2"), two)).toEqual(refused("signature", "the token's iss claim 123 is not a configured apiKey"));
    for (const iss of ["lk-key", "", "Stryker was here"]) expect(await livekit(token(HS256, claims({ iss })), { apiKey: [] }), iss).toMatchObject({ ok: false, error: { code: "signature" } });
  });

  it("the body's hash: required, and compared with the raw body", async () => {
    expect(await livekit(token(HS256, claims({ sha256: undefined })))).toEqual(refused("signature", "the token has no sha256 claim (the hash of the body)"));
    expect(await livekit(token(HS256, claims()), {}, `${body} `)).toEqual(refused("signature", "the body does not match the token's sha256 claim"));
  });

  it("signs a typed JWT whose segments are base64url without padding, valid for the declared lifetime", async () => {
    for (const text of ["{}", '{"a":1}', '{"ab":1}']) {
      // ">>>???" puts a byte that base64 writes + and one it writes / in every alignment.
      const signed = await signBody("livekit", text, { ...options, apiKey: "lk>>>???", at } as never);
      const [header, payload, signature] = signed.headers.authorization!.split(".");
      for (const part of [header, payload, signature]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(payload).toMatch(/-.*_|_.*-/);
      expect(decode(header!)).toEqual({ alg: "HS256", typ: "JWT" });
      expect(decode(payload!)).toEqual({ iss: "lk>>>???", nbf, iat: nbf, exp, sha256: sha256(text) });
      expect(signature).toBe(createHmac("sha256", "lk-secret").update(`${header}.${payload}`).digest("base64url"));
    }
  });
});

describe("jwt.ts: what LiveKit does not declare", () => {
  const spec: JwtSpec = { mechanism: "jwt", header: "authorization", scheme: "Bearer", algorithms: ["HS256", "HS512"] };
  const provider: ProviderDeclaration = { title: "Acme", envelope: { format: "json", discriminant: "/type" }, authentication: [spec], secret: { encoding: "utf8", minBytes: 8 } };
  const secrets = { secret: ["short", "long-enough-secret"], now: () => at };
  const bare = { nbf, exp };

  it("no issuer, no body hash, a scheme, a default lifetime: signed so, and verified with any valid secret", async () => {
    const signed = await signBodyWith(provider, body, { secret: "long-enough-secret", at });
    const [scheme, jwt] = signed.headers.authorization!.split(" ");
    expect(scheme).toBe("Bearer");
    expect(decode(jwt!.split(".")[1]!)).toEqual({ nbf, iat: nbf, exp });
    expect(await verdictOf(provider, signed.headers.authorization!, secrets)).toEqual({ ok: true });
    expect(await verdictOf(provider, `Bearer ${token({ alg: "HS512" }, bare, "long-enough-secret", "sha512")}`, secrets)).toEqual({ ok: true });
    expect(await verdictOf(provider, token({ alg: "HS384" }, bare, "long-enough-secret", "sha384"), secrets)).toEqual(refused("signature", `${where} is signed with "HS384"; only HS256, HS512 are accepted`));
  });

  it("a token is never checked against a missing key: an unkeyed hash is refused, and a secret that breaks the rule is left out", async () => {
    const input = `${segment(HS256)}.${segment(bare)}`;
    const unkeyed = `${input}.${createHash("sha256").update(input).digest("base64url")}`;
    expect(await verdictOf(provider, unkeyed, secrets)).toEqual(refused("signature", `the signature of ${where} does not match`));
    expect(await verdictOf({ ...provider, secret: undefined }, unkeyed, secrets)).toEqual(refused("signature", `the signature of ${where} does not match`));
    expect(await verdictOf(provider, token(HS256, bare, "short"), { ...secrets, secret: ["short"] })).toEqual(refused("signature", "no Acme secret is configured for this token"));
  });

  it("the default leeway is 10 s", async () => {
    const good = token(HS256, bare, "long-enough-secret");
    expect(await verdictOf(provider, good, { ...secrets, now: () => (exp + 10) * 1000 })).toEqual({ ok: true });
    expect(await verdictOf(provider, good, { ...secrets, now: () => (exp + 11) * 1000 })).toMatchObject({ ok: false, error: { code: "stale" } });
  });
});
