import { describe, expect, it, vi } from "vitest";
import { createTrigger, parseDelivery, signBody } from "../generated/src/index.js";
import { answerJaasEvent, createJaasTrigger, type JaasSettingsProvisioningAnswer } from "../generated/src/jaas/index.js";
import { send, start } from "./http.js";
import { sign } from "./support.js";

/** 8x8's SETTINGS_PROVISIONING: a request that is only `{ fqn }`, whose answer carries the meeting's settings. */
const secret = "whsec_jaas-secret-for-tests";
const body = JSON.stringify({ fqn: "vpaas-magic-cookie-5b7d2e91c4a84f0b9e36a1d8f2c07e4a/design-review" });
const settings: JaasSettingsProvisioningAnswer = { lobbyEnabled: true, passcode: "123456", maxOccupants: 12 };
const signed = () => ({ body, ...sign("jaas", body, { secret }) });

describe("8x8's SETTINGS_PROVISIONING: an answer that carries data", () => {
  it("is recognised by its fqn, without an eventType, and keyed by its content", () => {
    expect(parseDelivery("jaas", { headers: {}, body })).toMatchObject({ ok: true, events: [{ type: "SETTINGS_PROVISIONING", event: JSON.parse(body) }] });
  });

  it("gets the answerer's typed settings as the answer, over node:http, every time it is asked (not deduplicated)", async () => {
    const answerer = vi.fn(async (event: { fqn: string }) => (event.fqn.endsWith("/design-review") ? settings : false));
    const base = await start(createJaasTrigger({ secret, port: 0, onError: () => {}, webhookTriggers: { SETTINGS_PROVISIONING: answerer } }));
    const { url, headers } = signed();
    for (let time = 0; time < 2; time++) expect(await send(base, { path: url, headers, body })).toMatchObject({ status: 200, body: settings });
    expect(answerer).toHaveBeenCalledTimes(2);
  });

  it("gets it through fetch; an answerer that declines (false) gets the usual acknowledgement", async () => {
    const trigger = createTrigger({ provider: "jaas", secret, onError: () => {}, webhookTriggers: { SETTINGS_PROVISIONING: (event) => (event.fqn.includes("design") ? settings : false) } });
    const post = async (text: string) => {
      const request = await signBody("jaas", text, { secret });
      const response = await trigger.fetch(new Request("https://receiver.example/jaas/settings", { method: "POST", headers: request.headers, body: text }));
      return { status: response.status, body: await response.json() };
    };
    expect(await post(body)).toEqual({ status: 200, body: settings });
    expect(await post(JSON.stringify({ fqn: "vpaas-magic-cookie-x/standup" }))).toEqual({ status: 200, body: { ok: true, events: 1, unknown: 0, invalid: 0, duplicates: 0 } });
  });

  it("never sends an answer that does not match its schema: 500, and the reason to onError", async () => {
    const onError = vi.fn();
    const trigger = createJaasTrigger({ secret, onError, webhookTriggers: { SETTINGS_PROVISIONING: () => ({ passcode: "letters" }) } });
    const { url, headers } = signed();
    const response = await trigger.handleDelivery({ method: "POST", url, headers, body });
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("letters");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/\/passcode must match the pattern/) }), expect.objectContaining({ type: "SETTINGS_PROVISIONING" }));
  });

  it("is refused unsigned: settings such as a passcode go only to JaaS", async () => {
    const trigger = createJaasTrigger({ secret, onError: () => {}, webhookTriggers: { SETTINGS_PROVISIONING: () => settings } });
    const response = await trigger.handleDelivery({ method: "POST", url: "/", headers: {}, body });
    expect(response.status).toBe(401);
    expect(response.body).not.toContain("123456");
  });

  it("answerJaasEvent gives servers of their own the same checked answer", () => {
    const answered = answerJaasEvent("SETTINGS_PROVISIONING", settings);
    expect(answered.ok && { status: answered.response.status, body: JSON.parse(answered.response.body) }).toEqual({ status: 200, body: settings });
    expect(answerJaasEvent("SETTINGS_PROVISIONING", { maxOccupants: 1 })).toMatchObject({ ok: false, issues: [{ pointer: "/maxOccupants", keyword: "minimum" }] });
  });
});

describe("8x8's idempotency keys", () => {
  it("combine idempotencyKey with eventType: one key shared by events of different types gives different keys", () => {
    const envelope = { idempotencyKey: "9e9e7420-562d-4659-8e22-44b9b22aaa49", customerId: "c", appId: "vpaas-magic-cookie-c", sessionId: "s", timestamp: 1, fqn: "vpaas-magic-cookie-c/room" };
    const started = parseDelivery("jaas", { headers: {}, body: JSON.stringify({ ...envelope, eventType: "DIAL_IN_STARTED", data: { participantJid: "a@b", participantFullJid: "a@b/c", direction: "in" } }) });
    const ended = parseDelivery("jaas", { headers: {}, body: JSON.stringify({ ...envelope, eventType: "DIAL_IN_ENDED", data: { participantJid: "a@b", participantFullJid: "a@b/c", direction: "in" } }) });
    if (!started.ok || !ended.ok) expect.fail(JSON.stringify([started, ended]));
    expect(started.events[0]!.key).toBe("9e9e7420-562d-4659-8e22-44b9b22aaa49:DIAL_IN_STARTED");
    expect(ended.events[0]!.key).toBe("9e9e7420-562d-4659-8e22-44b9b22aaa49:DIAL_IN_ENDED");
  });
});
