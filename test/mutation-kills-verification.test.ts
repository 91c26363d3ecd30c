// Tests written to kill mutants that survived `npm run mutate` in the verification modules
// (signatures, mechanism, hmac, digest, token, secrets; jwt in mutation-kills-jwt.test.ts):
// test/MUTATION.md. Through the public API where a provider of the package reaches the code;
// the generic parts no provider declares (a hex secret, a query or URL part, a timestamp in
// milliseconds…) through the runtime's own entry points with a declaration made here, as a
// provider.json would declare it. Signatures are computed with node:crypto, independently.
import { createHash, createHmac, type BinaryToTextEncoding } from "node:crypto";
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import {
  answerHandshake, createBigBlueButtonTrigger, signBody, verifyDelivery, verifyDeliveryAsync,
  type DeliveryRequest, type Provider, type VerifyResult,
} from "../generated/src/index.js";
import type { MechanismSpec, ProviderDeclaration, SecretSpec } from "../generated/src/runtime/core/provider.js";
import { describeSecret } from "../generated/src/runtime/core/secrets.js";
import { signBodyWith } from "../generated/src/runtime/core/signing.js";
import { verifyWithWebCrypto } from "../generated/src/runtime/core/webcrypto.js";
import { verifyWith } from "../generated/src/runtime/node/verify.js";
import { start } from "./http.js";

const at = 1_700_000_000_000;
const now = () => at;
const T = "1700000000";
const body = '{"type":"x"}';
const dailySecret = Buffer.from("daily-secret-for-tests").toString("base64");

const hmac = (algorithm: string, key: string | Buffer, text: string, encoding: BinaryToTextEncoding = "hex") => createHmac(algorithm, key).update(text).digest(encoding);
const hash = (algorithm: string, text: string, encoding: BinaryToTextEncoding = "hex") => createHash(algorithm).update(text).digest(encoding);

type Options = Record<string, unknown>;

/** The verdict of both implementations (node:crypto and Web Crypto), which must agree. */
async function verdict(provider: Provider, request: DeliveryRequest | Record<string, unknown>, options: Options): Promise<VerifyResult> {
  const sync = verifyDelivery(provider, request as DeliveryRequest, options as never);
  expect(await verifyDeliveryAsync(provider, request as DeliveryRequest, options as never), "Web Crypto").toEqual(sync);
  return sync;
}

/** The same for a declaration made here. */
async function verdictOf(provider: ProviderDeclaration, request: DeliveryRequest | Record<string, unknown>, options: Options): Promise<VerifyResult> {
  const sync = verifyWith(provider, request as DeliveryRequest, options as never);
  expect(await verifyWithWebCrypto(provider, request as DeliveryRequest, options as never), "Web Crypto").toEqual(sync);
  return sync;
}

const refused = (code: "signature" | "stale", message: string) => ({ ok: false, error: { code, message } });

/** A provider as a provider.json would declare it: JSON events, these mechanisms and secret rule. */
function declare(authentication: MechanismSpec[], extra: Partial<ProviderDeclaration> = {}): ProviderDeclaration {
  return { title: "Acme", envelope: { format: "json", discriminant: "/type" }, authentication, ...extra };
}

/** An HMAC-SHA256 of the body in `x-sig`, hex: the simplest signature, to test a secret rule. */
const keyed = (secret: SecretSpec | undefined) => declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "body" }], signature: { header: "x-sig", encoding: "hex" } }], { secret });

describe("signatures.ts: what is refused before any mechanism, and how", () => {
  it("an unsigned delivery is refused naming every credential that would do, header names written as people write them", async () => {
    const cases: [Provider, Options, string][] = [
      ["whereby", { secret: "s" }, "the Whereby-Signature header is missing"],
      ["daily", { secret: dailySecret }, "the X-Webhook-Signature header is missing"],
      ["zoom", { secret: "s" }, "the X-Zm-Signature header is missing"],
      ["jaas", { secret: "s" }, "the X-Jaas-Signature header is missing"],
      ["iotum", { secret: "s" }, "the X-Signing-Token header is missing"],
      ["livekit", { secret: "s", apiKey: "k" }, "the Authorization header (a JWT) is missing"],
      ["bigbluebutton", { secret: "s", callbackUrl: "https://example.com/" }, "the checksum query parameter or the Authorization header (Bearer) is missing"],
    ];
    for (const [provider, options, message] of cases) expect(await verdict(provider, { url: "/", headers: {}, body }, { ...options, now }), provider).toEqual(refused("signature", message));
  });

  it("a body that is not raw bytes is refused even with the right token", async () => {
    const request = { headers: { "x-signing-token": "s" }, body: { type: "x" } };
    expect(await verdict("iotum", request, { secret: "s" })).toEqual(refused("signature", "the body must be the raw bytes to be verified"));
  });

  it("answerHandshake never rejects: no usable secret is a 401 naming the provider; a toleranceSeconds that is not a number leaves the provider's window", async () => {
    const signed = await signBody("zoom", '{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}', { secret: "s", at });
    for (const options of [undefined, {}, { secret: [] }, { secret: [42] }, { secret: ["  "] }, { secret: "" }]) {
      const answer = await answerHandshake("zoom", signed, options as never);
      expect({ status: answer?.status, body: JSON.parse(answer?.body ?? "null") }, JSON.stringify(options)).toEqual({ status: 401, body: { ok: false, error: { code: "signature", message: "no Zoom secret is configured" } } });
    }
    expect((await answerHandshake("zoom", signed, { secret: "s", now, toleranceSeconds: "5" } as never))?.status).toBe(200);
  });

  it("Expect: 100-continue: a checksum server invites the body of a request that carries only its other credential (a bearer token)", async () => {
    const base = await start(createBigBlueButtonTrigger({ secret: "bbb-secret", callbackUrl: "https://example.com/", port: 0, host: "127.0.0.1", onError: () => {} }));
    const first = (headers: Record<string, string>) => new Promise<string>((resolve, reject) => {
      const req = httpRequest(base, { method: "POST", agent: false, headers: { ...headers, expect: "100-continue", "content-length": "2" } });
      req.on("continue", () => (resolve("continue"), req.destroy()));
      req.on("response", (res) => (resolve(String(res.statusCode)), res.resume(), req.destroy()));
      req.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
    });
    expect(await first({ authorization: "Bearer anything" })).toBe("continue");
    expect(await first({})).toBe("401");
  });
});

describe("token.ts: a static token, with or without a scheme, as the only or an additional credential", () => {
  const bbb = { secret: "bbb-secret", callbackUrl: "https://example.com/bbb", now };
  const bearer = (authorization: string) => ({ url: "/bbb", headers: { authorization }, body: "event=%5B%5D" });

  it("a scheme is matched in any case, then one or more spaces or tabs; anything else is not the scheme", async () => {
    for (const value of ["Bearer bbb-secret", "bearer  bbb-secret", "BEARER\tbbb-secret"]) expect(await verdict("bigbluebutton", bearer(value), bbb), value).toEqual({ ok: true });
    for (const value of ["Basic  bbb-secret", "Bearerx bbb-secret", "Bearer", "Bear", ""]) {
      expect(await verdict("bigbluebutton", bearer(value), bbb), value).toEqual(refused("signature", "the Authorization header (Bearer) does not use the Bearer scheme"));
    }
    expect(await verdict("bigbluebutton", bearer("Bearer bbb-other"), bbb)).toEqual(refused("signature", "the Authorization header (Bearer) does not match"));
    expect(await verdict("iotum", { headers: { "x-signing-token": "other" }, body }, { secret: "s" })).toEqual(refused("signature", "the X-Signing-Token header does not match"));
  });

  it("Daily's basicAuth: signed with its value, and required, present, under its scheme and equal when set", async () => {
    const options = { secret: dailySecret, basicAuth: "user:pw", now };
    const signed = await signBody("daily", body, { ...options, at } as never);
    expect(signed.headers.authorization).toBe("Basic user:pw");
    expect(await verdict("daily", signed, options)).toEqual({ ok: true });
    const { authorization: _, ...unauthorized } = signed.headers;
    expect(await verdict("daily", { ...signed, headers: unauthorized }, options)).toEqual(refused("signature", "the Authorization header (Basic) is missing"));
    expect(await verdict("daily", { ...signed, headers: { ...signed.headers, authorization: "Bearer user:pw" } }, options)).toEqual(refused("signature", "the Authorization header (Basic) does not use the Basic scheme"));
    expect(await verdict("daily", { ...signed, headers: { ...signed.headers, authorization: "Basic user:other" } }, options)).toEqual(refused("signature", "the Authorization header (Basic) does not match basicAuth"));
    // The right basicAuth does not stand for the signature.
    expect(await verdict("daily", { ...signed, body: `${body} ` }, options)).toEqual(refused("signature", "the X-Webhook-Signature header does not match the body"));
    // An empty list of values matches nothing, whatever is sent.
    for (const value of ["Basic user:pw", "Basic Stryker was here", "Basic "]) {
      expect(await verdict("daily", { ...signed, headers: { ...signed.headers, authorization: value } }, { ...options, basicAuth: [] }), value).toMatchObject({ ok: false, error: { code: "signature" } });
    }
  });

  it("a token that is the only credential but held in its own option: that option is required, and it is what is compared and signed", async () => {
    const provider = declare([{ mechanism: "token", header: "x-api-token", option: "apiToken" }], { options: { apiToken: { type: "strings", description: "The token." } } });
    expect(() => verifyWith(provider, { headers: {}, body }, { secret: "s" } as never)).toThrow(/set `apiToken`/);
    const options = { secret: "s", apiToken: "t" };
    expect(await verdictOf(provider, { headers: { "x-api-token": "t" }, body }, options)).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-api-token": "s" }, body }, options)).toEqual(refused("signature", "the X-Api-Token header does not match apiToken"));
    expect((await signBodyWith(provider, body, options as never)).headers["x-api-token"]).toBe("t");
  });

  it("with a JWT and a token both able to authenticate, the token alone does", async () => {
    const provider = declare([{ mechanism: "jwt", header: "authorization", algorithms: ["HS256"] }, { mechanism: "token", header: "x-token" }]);
    expect(await verdictOf(provider, { headers: { "x-token": "s" }, body }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: {}, body }, { secret: "s" })).toEqual(refused("signature", "the Authorization header (a JWT) or the X-Token header is missing"));
  });
});

describe("mechanism.ts: reading a signature list (Whereby's t=…,v1=…)", () => {
  const sig = hmac("sha256", "whsec_test", `${T}.${body}`);
  const whereby = (header: string) => ({ headers: { "whereby-signature": header }, body });
  const options = { secret: "whsec_test", now };

  it("takes entries with spaces around them, in any order, in upper-case hex; the first t= counts; other entries are ignored", async () => {
    for (const header of [`t=${T},v1=${sig}`, `t=${T}, v1=${sig}`, `t=${T},v1=${sig} `, `t= ${T} ,v1=${sig}`, `v1=${sig},t=${T}`, `t=${T},t=1600000000,v1=${sig}`, `t=${T},v1=${sig},v0=zzz`, `t=${T},v1=${sig.toUpperCase()}`, `t=${T}, v1=${sig.toUpperCase()}`, `t=${T},v1=0000,v1=${sig}`]) {
      expect(await verdict("whereby", whereby(header), options), header).toEqual({ ok: true });
    }
  });

  it("names what is wrong: no t= entry, no v1 entry, a t= that is not a Unix time, a signature that does not match", async () => {
    expect(await verdict("whereby", whereby(`x=5,v1=${sig}`), options)).toEqual(refused("signature", "the signature's t= entry is missing"));
    expect(await verdict("whereby", whereby(`t=${T},v1x`), options)).toEqual(refused("signature", "the Whereby-Signature header holds no v1 signature"));
    expect(await verdict("whereby", whereby(`t=abc,v1=${sig}`), options)).toEqual(refused("signature", "the signature's t= entry is not a Unix time"));
    expect(await verdict("whereby", whereby(`t=${T},v1=${hmac("sha256", "whsec_other", `${T}.${body}`)}`), options)).toEqual(refused("signature", "the Whereby-Signature header does not match the body"));
  });

  it("a list whose separator is a character special to regular expressions is read literally", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "timestamp" }, { text: "." }, { from: "body" }], signature: { header: "x-sig", list: { separator: ".", assign: "=", scheme: "v1" }, encoding: "hex" }, timestamp: { list: "t", unit: "seconds", toleranceSeconds: 300 } }]);
    expect(await verdictOf(provider, { headers: { "x-sig": `t=${T}.v1=${sig}` }, body }, options)).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-sig": `t=${T}v1=${sig}` }, body }, options)).toEqual(refused("signature", "the X-Sig header holds no v1 signature"));
  });

  it("writes a list with only its scheme entry when the timestamp travels elsewhere or nowhere", async () => {
    const list = { separator: " ", assign: ",", scheme: "v1" };
    const withHeader = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "timestamp" }, { text: "." }, { from: "body" }], signature: { header: "x-sig", list, encoding: "base64" }, timestamp: { header: "x-ts", unit: "seconds", toleranceSeconds: 300 } }]);
    const signed = await signBodyWith(withHeader, body, { secret: "s", at });
    expect(signed.headers).toEqual({ "content-type": "application/json", "x-ts": T, "x-sig": `v1,${hmac("sha256", "s", `${T}.${body}`, "base64")}` });
    const without = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "body" }], signature: { header: "x-sig", list, encoding: "base64" } }]);
    expect((await signBodyWith(without, body, { secret: "s", at })).headers["x-sig"]).toBe(`v1,${hmac("sha256", "s", body, "base64")}`);
  });

  it("a signed delivery carries no header but the ones declared", async () => {
    expect((await signBody("whereby", body, { secret: "s", at })).headers).toEqual({ "content-type": "application/json", "whereby-signature": `t=${T},v1=${hmac("sha256", "s", `${T}.${body}`)}` });
  });
});

describe("mechanism.ts: a prefixed signature and a timestamp header (Zoom's v0=…)", () => {
  const zoom = (timestamp: string, signature = `v0=${hmac("sha256", "s", `v0:${timestamp}:${body}`)}`) => ({ headers: { "x-zm-request-timestamp": timestamp, "x-zm-signature": signature }, body });
  const options = { secret: "s", now };

  it("takes upper-case hex and a fractional Unix time; refuses another prefix, naming the one expected", async () => {
    expect(await verdict("zoom", zoom(T, `v0=${hmac("sha256", "s", `v0:${T}:${body}`).toUpperCase()}`), options)).toEqual({ ok: true });
    for (const timestamp of [`${T}.5`, `${T}.25`]) expect(await verdict("zoom", zoom(timestamp), options), timestamp).toEqual({ ok: true });
    expect(await verdict("zoom", zoom(T, `v1=${hmac("sha256", "s", `v0:${T}:${body}`)}`), options)).toEqual(refused("signature", "the X-Zm-Signature header must start with v0="));
  });

  it("refuses a signed timestamp that is not a Unix time, which would leave the replay window unchecked", async () => {
    for (const timestamp of ["abc", `x${T}`, `${T}x`, `${T}.`, "-1700000000"]) {
      expect(await verdict("zoom", zoom(timestamp), options), timestamp).toEqual(refused("signature", "the X-Zm-Request-Timestamp header is not a Unix time"));
    }
    const { "x-zm-request-timestamp": _, ...headers } = zoom(T).headers;
    expect(await verdict("zoom", { headers, body }, options)).toEqual(refused("signature", "the X-Zm-Request-Timestamp header is missing"));
  });

  it("the window: exactly its width passes, one second more does not, and says by how much; milliseconds where seconds are declared are far off", async () => {
    expect(await verdict("zoom", zoom(String(1_700_000_000 - 300)), options)).toEqual({ ok: true });
    expect(await verdict("zoom", zoom(String(1_700_000_000 + 301)), options)).toEqual(refused("stale", "the signed timestamp is 301 s away from now, more than the 300 s allowed"));
    expect(await verdict("zoom", zoom(String(at)), options)).toMatchObject({ ok: false, error: { code: "stale" } });
    expect(await verdict("zoom", zoom(T), { ...options, toleranceSeconds: 0 })).toEqual({ ok: true });
    expect(await verdict("zoom", zoom(String(1_700_000_000 + 1)), { ...options, toleranceSeconds: 0 })).toMatchObject({ ok: false, error: { code: "stale" } });
  });

  it("a window that cannot be checked refuses: a negative tolerance, a clock that is not a number or throws", async () => {
    const cannot = refused("stale", "the replay window cannot be checked: `now()` or `toleranceSeconds` is not a finite number");
    expect(await verdict("zoom", zoom(T), { ...options, toleranceSeconds: -1 })).toEqual(cannot);
    expect(await verdict("zoom", zoom(T), { ...options, now: () => Number.NaN })).toEqual(cannot);
    expect(await verdict("zoom", zoom(T), { ...options, now: () => { throw new Error("no clock"); } })).toEqual(cannot);
  });

  it("Daily's seconds-or-milliseconds: 10¹¹ and above are milliseconds", async () => {
    const key = Buffer.from(dailySecret, "base64");
    const daily = (timestamp: string) => ({ headers: { "x-webhook-timestamp": timestamp, "x-webhook-signature": hmac("sha256", key, `${timestamp}.${body}`, "base64") }, body });
    expect(await verdict("daily", daily("100000000000"), { secret: dailySecret, now: () => 100_000_000_000 })).toEqual({ ok: true });
    expect(await verdict("daily", daily("99999999999"), { secret: dailySecret, now: () => 99_999_999_999_000 })).toEqual({ ok: true });
  });
});

describe("mechanism.ts: message parts no provider of the package declares yet", () => {
  const sigOf = (text: string) => hmac("sha256", "s", text);
  const parts = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ header: "x-id" }, { text: "." }, { query: "v" }, { text: "." }, { from: "url" }, { text: "." }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" } }]);

  it("a header, a query parameter and the URL as received: signed, verified, and each named when missing", async () => {
    const request = { url: "/hook?v=2", headers: { "x-id": "abc", "x-sig": sigOf(`abc.2./hook?v=2.${body}`) }, body };
    expect(await verdictOf(parts, request, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(parts, { ...request, headers: { "x-sig": request.headers["x-sig"] } }, { secret: "s" })).toEqual(refused("signature", "the X-Id header is missing"));
    expect(await verdictOf(parts, { ...request, url: "/hook" }, { secret: "s" })).toEqual(refused("signature", "the v query parameter is missing"));
    await expect(signBodyWith(parts, body, { secret: "s", path: "/hook?v=2" })).rejects.toThrow(/^sign Acme delivery: the X-Id header is missing$/);
  });

  it("anyOf: the first alternative the request has; none is a request not shaped as the provider signs", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ anyOf: [{ header: "x-a" }, { header: "x-b" }] }, { text: "." }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" } }]);
    expect(await verdictOf(provider, { headers: { "x-b": "b", "x-sig": sigOf(`b.${body}`) }, body }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-sig": sigOf(`.${body}`) }, body }, { secret: "s" })).toEqual(refused("signature", "the request is not shaped as Acme signs it"));
  });

  it("an option inside anyOf is required like any other", () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ anyOf: [{ option: "base" }, { text: "-" }] }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" } }]);
    expect(() => verifyWith(provider, { headers: { "x-sig": "00" }, body }, { secret: "s" })).toThrow(/set `base`/);
  });

  it("an option a mechanism needs but the provider does not describe: named all the same, whether the provider has options or none", async () => {
    const mechanisms: MechanismSpec[] = [{ mechanism: "hmac", algorithm: "sha256", message: [{ option: "path" }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" } }, { mechanism: "token", header: "x-token" }];
    for (const extra of [{}, { options: { other: { type: "string" as const, description: "Another option." } } }]) {
      expect(await verdictOf(declare(mechanisms, extra), { headers: { "x-sig": "00" }, body }, { secret: "s" })).toEqual(refused("signature", "set the path option to verify Acme deliveries signed this way"));
    }
  });

  it("a signed timestamp that may be absent refuses when the message needs it", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "timestamp" }, { text: "." }, { from: "body" }], signature: { header: "x-sig", encoding: "hex" }, timestamp: { header: "x-ts", unit: "seconds", toleranceSeconds: 300, optional: true } }]);
    expect(await verdictOf(provider, { headers: { "x-ts": T, "x-sig": sigOf(`${T}.${body}`) }, body }, { secret: "s", now })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-sig": sigOf(`.${body}`) }, body }, { secret: "s", now })).toEqual(refused("signature", "the signed timestamp is missing"));
  });

  it("a timestamp outside the message is still checked, and one in milliseconds is written so", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "body" }], signature: { header: "x-sig", encoding: "hex" }, timestamp: { header: "x-ts", unit: "milliseconds", toleranceSeconds: 300 } }]);
    const signed = await signBodyWith(provider, body, { secret: "s", at: at + 123 });
    expect(signed.headers).toEqual({ "content-type": "application/json", "x-ts": String(at + 123), "x-sig": sigOf(body) });
    expect(await verdictOf(provider, signed, { secret: "s", now })).toEqual({ ok: true });
    expect(await verdictOf(provider, { ...signed, headers: { ...signed.headers, "x-ts": String(at - 301_000) } }, { secret: "s", now })).toMatchObject({ ok: false, error: { code: "stale" } });
  });

  it("a prefixed base64 signature (no timestamp): the prefix is cut, the rest compared as sent", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ from: "body" }], signature: { header: "x-hub-signature", prefix: "sha256=", encoding: "base64" } }]);
    const signature = `sha256=${hmac("sha256", "s", body, "base64")}`;
    expect((await signBodyWith(provider, body, { secret: "s" })).headers["x-hub-signature"]).toBe(signature);
    expect(await verdictOf(provider, { headers: { "x-hub-signature": signature }, body }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-hub-signature": `sha256=${hmac("sha256", "s", body, "base64").toLowerCase()}` }, body }, { secret: "s" })).toEqual(refused("signature", "the X-Hub-Signature header does not match the body"));
  });

  it("formJson alone: the declared fields of a form in any order, or a request not shaped as the provider signs", async () => {
    const provider = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ formJson: { fields: ["a", "b"] } }], signature: { header: "x-sig", encoding: "hex" } }], { envelope: { format: "form", form: [{ field: "a", events: true }, { field: "b" }], discriminant: "/type" } });
    expect(await verdictOf(provider, { headers: { "x-sig": sigOf('{"a":"1","b":"2"}') }, body: "b=2&a=1" }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-sig": sigOf('{"a":"1"}') }, body: "a=1" }, { secret: "s" })).toEqual(refused("signature", "the request is not shaped as Acme signs it"));
    const beside = declare([{ mechanism: "hmac", algorithm: "sha256", message: [{ anyOf: [{ header: "x-a" }, { text: "" }] }, { formJson: { fields: ["a", "b"] } }], signature: { header: "x-sig", encoding: "hex" } }], { envelope: provider.envelope });
    expect(await verdictOf(beside, { headers: { "x-sig": sigOf('{"a":"1","b":"2"}') }, body: "b=2&a=1" }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(beside, { headers: { "x-sig": sigOf('{"a":"1"}') }, body: "a=1" }, { secret: "s" })).toEqual(refused("signature", "the request is not shaped as Acme signs it"));
  });
});

describe("digest.ts: BigBlueButton's checksums", () => {
  const callbackUrl = "https://example.com/bbb";
  const options = { secret: "bbb-secret", callbackUrl, now };
  const checksum = (text: string, algorithm = "sha1") => hash(algorithm, `${callbackUrl}${text}bbb-secret`);
  const form = "event=%5B%5D&timestamp=1700000000000&domain=bbb.example.com";
  const json = '{"event":"[]","timestamp":1700000000000,"domain":"bbb.example.com"}';
  const request = (text: string, sum: string) => ({ url: `/bbb?checksum=${sum}`, headers: {}, body: text });

  it("takes an upper-case checksum; names the checksum whose length fits no hash, and the one that does not match", async () => {
    expect(await verdict("bigbluebutton", request(form, checksum(form).toUpperCase()), options)).toEqual({ ok: true });
    expect(await verdict("bigbluebutton", request(form, "abc"), options)).toEqual(refused("signature", "the checksum query parameter has the length of no supported hash"));
    expect(await verdict("bigbluebutton", request(form, checksum(`${form}x`)), options)).toEqual(refused("signature", "the checksum query parameter does not match the request and secret"));
  });

  it("without callbackUrl (or an empty one) a checksum cannot be verified: the option is named, with its description", async () => {
    const message = "set the callbackUrl option (Checksum mode: the callback URL exactly as registered with `hooks/create`.) to verify BigBlueButton deliveries signed this way";
    expect(await verdict("bigbluebutton", request(form, checksum(form)), { secret: "bbb-secret", now })).toEqual(refused("signature", message));
    expect(await verdict("bigbluebutton", request(form, checksum(form)), { ...options, callbackUrl: "" })).toEqual(refused("signature", message));
  });

  it("the timestamp field: a form that has it twice, or one that is not a Unix time, is refused", async () => {
    expect(await verdict("bigbluebutton", request(`${form}&timestamp=1700000000000`, checksum(form)), options)).toEqual(refused("signature", 'the form has the field "timestamp" twice'));
    const odd = form.replace("1700000000000", "soon");
    expect(await verdict("bigbluebutton", request(odd, checksum(odd)), options)).toEqual(refused("signature", "the timestamp form field is not a Unix time"));
  });

  it("bbb-webhooks 2.x's checksum over the fields' JSON covers exactly those fields: in that order, all present, the timestamp an integer", async () => {
    expect(await verdict("bigbluebutton", request(form, checksum(json)), options)).toEqual({ ok: true });
    const unsigned = [
      [`${form}&extra=1`, json],
      ["domain=bbb.example.com&event=%5B%5D&timestamp=1700000000000", json],
      ["event=%5B%5D&timestamp=1700000000000&realm=bbb.example.com", '{"event":"[]","timestamp":1700000000000}'],
      ["event=%5B%5D&timestamp=1700000000000.5&domain=bbb.example.com", '{"event":"[]","timestamp":1700000000000.5,"domain":"bbb.example.com"}'],
    ];
    for (const [text, signed] of unsigned) expect(await verdict("bigbluebutton", request(text!, checksum(signed!)), options), text).toMatchObject({ ok: false, error: { code: "signature" } });
  });

  it("a digest with a fixed hash, a prefix and no timestamp: signed and verified; its parts must be there to sign", async () => {
    const provider = declare([{ mechanism: "digest", algorithm: "sha256", message: [{ header: "x-id" }, { from: "body" }, { from: "secret" }], signature: { header: "x-checksum", prefix: "sha256=", encoding: "hex" } }]);
    const sum = `sha256=${hash("sha256", `abc${body}s`)}`;
    expect(await verdictOf(provider, { headers: { "x-id": "abc", "x-checksum": sum }, body }, { secret: "s" })).toEqual({ ok: true });
    expect(await verdictOf(provider, { headers: { "x-id": "abc", "x-checksum": sum.replace("sha256=", "sha1=") }, body }, { secret: "s" })).toEqual(refused("signature", "the X-Checksum header must start with sha256="));
    await expect(signBodyWith(provider, body, { secret: "s" })).rejects.toThrow(/^sign Acme delivery: the X-Id header is missing$/);
    const signs = declare([{ mechanism: "digest", algorithm: "sha256", message: [{ from: "body" }, { from: "secret" }], signature: { header: "x-checksum", encoding: "hex" } }]);
    expect((await signBodyWith(signs, body, { secret: "s" })).headers["x-checksum"]).toBe(hash("sha256", `${body}s`));
  });
});

describe("secrets.ts: a secret's rule, and the key it stands for", () => {
  const sign = (key: string | Buffer) => ({ headers: { "x-sig": hmac("sha256", key, body) }, body });
  const ok = { ok: true };

  it("no rule, or text: the secret's own text keys the HMAC", async () => {
    expect(await verdictOf(keyed(undefined), sign("undefined-secret"), { secret: "undefined-secret" })).toEqual(ok);
    expect(await verdictOf(keyed({ encoding: "utf8", minBytes: 8 }), sign("undefined-secret"), { secret: "undefined-secret" })).toEqual(ok);
  });

  it("base64: the bytes it encodes, padded with two, one or no =; a base64 text is not its own key", async () => {
    for (const size of [16, 17, 18]) {
      const bytes = Buffer.alloc(size, 7);
      const secret = bytes.toString("base64");
      expect(await verdictOf(keyed({ encoding: "base64" }), sign(bytes), { secret }), secret).toEqual(ok);
      expect(await verdictOf(keyed({ encoding: "base64" }), sign(secret), { secret }), secret).toMatchObject({ ok: false });
    }
  });

  it("hex: the bytes it encodes, in either case; an odd length or another character breaks the rule", async () => {
    const bytes = Buffer.from("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "hex");
    for (const secret of ["0a1b2c3d4e5f60718293a4b5c6d7e8f9", "0A1B2C3D4E5F60718293A4B5C6D7E8F9"]) expect(await verdictOf(keyed({ encoding: "hex" }), sign(bytes), { secret }), secret).toEqual(ok);
    // Longer than SHA-256's block: a key with bytes appended would be another key (a shorter one is padded with zeros).
    const long = Buffer.alloc(40, 0xab);
    expect(await verdictOf(keyed({ encoding: "hex" }), sign(long), { secret: long.toString("hex") })).toEqual(ok);
    for (const secret of ["0a1", "zz", "0a1b2c3d4e5f60718293a4b5c6d7e8fg", "0a 1b"]) {
      expect(await verdictOf(keyed({ encoding: "hex" }), sign(secret), { secret }), secret).toEqual(refused("signature", "no Acme secret is valid hex"));
    }
  });

  it("an optional prefix is cut when present; a secret that is only the prefix, or shorter than minBytes, is not valid", async () => {
    const rule: SecretSpec = { encoding: "utf8", prefix: "pre_" };
    expect(await verdictOf(keyed(rule), sign("abc"), { secret: "pre_abc" })).toEqual(ok);
    expect(await verdictOf(keyed(rule), sign("abc"), { secret: "abc" })).toEqual(ok);
    expect(await verdictOf(keyed(rule), sign(""), { secret: "pre_" })).toEqual(refused("signature", "no Acme secret is valid text, after an optional pre_ prefix"));
    expect(await verdictOf(keyed({ encoding: "utf8", minBytes: 8 }), sign("1234567"), { secret: "1234567" })).toEqual(refused("signature", "no Acme secret is valid text of at least 8 bytes"));
    const whsec = { encoding: "base64", prefix: "whsec_", minBytes: 24 } as const;
    const bytes = Buffer.alloc(24, 9);
    for (const secret of [`whsec_${bytes.toString("base64")}`, bytes.toString("base64")]) expect(await verdictOf(keyed(whsec), sign(bytes), { secret }), secret).toEqual(ok);
  });

  it("the same secret under two rules that differ only in prefix or size is read under each rule", async () => {
    expect(await verdictOf(keyed({ encoding: "utf8", minBytes: 4 }), sign("abcdef"), { secret: "abcdef" })).toEqual(ok);
    expect(await verdictOf(keyed({ encoding: "utf8", minBytes: 40 }), sign("abcdef"), { secret: "abcdef" })).toMatchObject({ ok: false });
    expect(await verdictOf(keyed({ encoding: "utf8", prefix: "a_" }), sign("xyz"), { secret: "a_xyz" })).toEqual(ok);
    expect(await verdictOf(keyed({ encoding: "utf8", prefix: "b_" }), sign("a_xyz"), { secret: "a_xyz" })).toEqual(ok);
  });

  it("Daily: base64 of exactly 16 bytes is enough; 15 is not, and the refusal says what a secret must be", async () => {
    const daily = (bytes: Buffer) => ({ headers: { "x-webhook-timestamp": T, "x-webhook-signature": hmac("sha256", bytes, `${T}.${body}`, "base64") }, body });
    const sixteen = Buffer.alloc(16, 5);
    expect(await verdict("daily", daily(sixteen), { secret: sixteen.toString("base64"), now })).toEqual(ok);
    const fifteen = Buffer.alloc(15, 5);
    expect(await verdict("daily", daily(fifteen), { secret: fifteen.toString("base64"), now })).toEqual(refused("signature", "no Daily secret is valid base64 of at least 16 bytes"));
  });

  it("describes a rule in words, for messages and the package's README", () => {
    expect(describeSecret(undefined)).toBe("a non-blank string");
    expect(describeSecret({ encoding: "utf8" })).toBe("a non-blank string");
    expect(describeSecret({ encoding: "utf8", minBytes: 8 })).toBe("text of at least 8 bytes");
    expect(describeSecret({ encoding: "utf8", prefix: "p_" })).toBe("text, after an optional p_ prefix");
    expect(describeSecret({ encoding: "hex" })).toBe("hex");
    expect(describeSecret({ encoding: "base64", prefix: "whsec_", minBytes: 24 })).toBe("base64 of at least 24 bytes, after an optional whsec_ prefix");
  });
});
