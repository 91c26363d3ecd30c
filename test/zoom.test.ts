import { afterEach, describe, expect, it, vi } from "vitest";
import { answerHandshake, createTrigger } from "../generated/src/index.js";
import { answerZoomHandshake, createZoomTrigger } from "../generated/src/zoom/index.js";
import { start, send } from "./http.js";
import { sign } from "./support.js";

/**
 * Zoom's URL validation against a vector computed outside confhooks: a third-party receiver's
 * test (secret `secretValueTest`, the plainToken of Zoom's docs), recomputed with
 *   printf '%s' qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac secretValueTest
 */
const secret = "secretValueTest";
const body = JSON.stringify({ payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1654503849680, event: "endpoint.url_validation" });
const expected = { plainToken: "qgg8vlvZRS6UYooatFL8Aw", encryptedToken: "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff" };
const signed = (options: { secret?: string; at?: number } = {}) => ({ body, ...sign("zoom", body, { secret, ...options }) });

describe("Zoom's URL validation", () => {
  it("is answered by the Node trigger with the plainToken and its HMAC, and runs no matcher", async () => {
    const matcher = vi.fn(() => true);
    const base = await start(createZoomTrigger({ secret, port: 0, onError: () => {}, webhookTriggers: { "meeting.started": matcher } }));
    const { url, headers } = signed();
    expect(await send(base, { path: url, headers, body })).toMatchObject({ status: 200, body: expected });
    expect(matcher).not.toHaveBeenCalled();
  });

  it("is answered through fetch, with the secret that verified it while rotating", async () => {
    const trigger = createTrigger({ provider: "zoom", secret: ["another-secret-token", secret], onError: () => {} });
    const { headers } = signed();
    const response = await trigger.fetch(new Request("https://receiver.example/zoom", { method: "POST", headers, body }));
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: expected });
  });

  it("gets 401 unsigned, badly signed or stale, and the token is never computed for it", async () => {
    const base = await start(createZoomTrigger({ secret, port: 0, onError: () => {} }));
    const bad = signed({ secret: "not-the-secret" });
    const stale = signed({ at: Date.now() - 3600_000 });
    for (const headers of [{}, bad.headers, stale.headers]) {
      const response = await send(base, { headers, body });
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).not.toContain(expected.encryptedToken);
    }
  });

  it("is answered by answerZoomHandshake and answerHandshake for servers of your own; other requests are left to you", async () => {
    const request = { method: "POST", headers: signed().headers, body };
    const answer = await answerZoomHandshake(request, { secret });
    expect(answer && { status: answer.status, body: JSON.parse(answer.body) }).toEqual({ status: 200, body: expected });
    expect(await answerHandshake("zoom", request, { secret })).toEqual(answer);
    expect(await answerZoomHandshake({ ...request, headers: signed({ secret: "not-the-secret" }).headers }, { secret })).toMatchObject({ status: 401 });
    const delivery = JSON.stringify({ event: "meeting.started", event_ts: 1, payload: { account_id: "a", object: {} } });
    expect(await answerZoomHandshake({ headers: sign("zoom", delivery, { secret }).headers, body: delivery }, { secret })).toBeUndefined();
  });
});

describe("Zoom's acknowledgement deadline", () => {
  afterEach(() => vi.useRealTimers());

  it("answers 202 within Zoom's 3 s when a matcher runs long (default responseTimeoutMs 2400 ms)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const trigger = createZoomTrigger({ secret, onError: () => {}, webhookTriggers: { "meeting.started": () => new Promise<boolean>(() => {}) } });
    const delivery = JSON.stringify({ event: "meeting.started", event_ts: 1, payload: { account_id: "a", object: { id: "1", uuid: "u", host_id: "h", topic: "t", type: 2, start_time: "2026-11-29T10:00:00Z", timezone: "UTC", duration: 30 } } });
    let answered: { status: number } | undefined;
    void trigger.handleDelivery({ method: "POST", url: "/", headers: sign("zoom", delivery, { secret }).headers, body: delivery }).then((response) => (answered = response));
    await vi.advanceTimersByTimeAsync(2399);
    expect(answered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toMatchObject({ status: 202 });
  });
});
