// Tests for bugs planted in a copy of the project that the suite let through (issue 26), or
// caught only by luck (stop() by timing, storageType by the type test alone). Each test here
// was run with its bug planted and failed. Only the package's public API and the generator's
// exported functions are used.
import { describe, expect, it, vi } from "vitest";
import { SchemaErrors } from "../generator/errors.js";
import { lintSchemas } from "../generator/lint.js";
import type { JsonSchema, LoadedProvider } from "../generator/load.js";
import {
  createTrigger,
  parseDelivery,
  signDelivery,
  verifyDelivery,
  verifyDeliveryAsync,
  type DedupeStore,
  type ParsedEvent,
} from "../generated/src/index.js";
import { send, start } from "./http.js";
import { callbackUrl, encodeBody, mutate, providers, secrets } from "./support.js";

const loaded = await providers();
const examplesOf = (provider: string, type: string): any[] =>
  structuredClone(loaded.find((p) => p.name === provider)!.events.find((e) => e.base === type)!.schema.examples as unknown[]);
const exampleOf = (provider: string, type: string): any => examplesOf(provider, type)[0];
const quiet = { port: 0, host: "127.0.0.1", onError: () => {} };
const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

describe("1. Daily basicAuth: the Authorization value is compared, not only its presence", () => {
  const basicAuth = "dXNlcjpwYXNz"; // user:pass
  const participant = exampleOf("daily", "participant.joined");
  const wrong = [
    "Basic d3Jvbmc6cGFzcw==", // wrong:pass
    "Basic dXNlcjpwYXNzeA==", // user:passx
    "Basic dXNlcjpwYXN", // a prefix of the right value
    `Basic ${basicAuth}x`,
    "Basic ",
    `Bearer ${basicAuth}`,
    basicAuth, // no scheme
  ];

  it("verifyDelivery and verifyDeliveryAsync refuse a wrong Authorization: Basic value", async () => {
    const signed = await signDelivery("daily", participant, { secret: secrets.daily });
    const options = { secret: secrets.daily, basicAuth };
    const right = { ...signed, headers: { ...signed.headers, authorization: `Basic ${basicAuth}` } };
    expect(verifyDelivery("daily", right, options)).toEqual({ ok: true });
    expect(await verifyDeliveryAsync("daily", right, options)).toEqual({ ok: true });
    for (const authorization of wrong) {
      const request = { ...signed, headers: { ...signed.headers, authorization } };
      expect(verifyDelivery("daily", request, options), authorization).toMatchObject({ ok: false, error: { code: "signature" } });
      expect(await verifyDeliveryAsync("daily", request, options), authorization).toMatchObject({ ok: false, error: { code: "signature" } });
    }
  });

  it("while rotating basicAuth values, accepts each listed one and refuses any other", async () => {
    const signed = await signDelivery("daily", participant, { secret: secrets.daily });
    const options = { secret: secrets.daily, basicAuth: ["b2xkOnZhbHVl", basicAuth] };
    for (const value of options.basicAuth) {
      expect(verifyDelivery("daily", { ...signed, headers: { ...signed.headers, authorization: `Basic ${value}` } }, options)).toEqual({ ok: true });
    }
    for (const authorization of wrong) {
      expect(verifyDelivery("daily", { ...signed, headers: { ...signed.headers, authorization } }, options), authorization).toMatchObject({ ok: false });
    }
  });

  it("a trigger with basicAuth answers 401 to a wrong Authorization over HTTP and runs no matcher", async () => {
    const matcher = vi.fn(() => true);
    const base = await start(createTrigger({ provider: "daily", secret: secrets.daily, basicAuth, ...quiet, webhookTriggers: { "participant.joined": matcher } }));
    for (const [index, authorization] of wrong.entries()) {
      const signed = await signDelivery("daily", { ...participant, id: `wrong-${index}` }, { secret: secrets.daily });
      const response = await send(base, { ...signed, headers: { ...signed.headers, authorization } });
      expect(response, authorization).toMatchObject({ status: 401, body: { ok: false, error: { code: "signature" } } });
    }
    expect(matcher).not.toHaveBeenCalled();
    const signed = await signDelivery("daily", participant, { secret: secrets.daily });
    expect((await send(base, { ...signed, headers: { ...signed.headers, authorization: `Basic ${basicAuth}` } })).status).toBe(200);
    expect(matcher).toHaveBeenCalledOnce();
  });
});

describe("2. a field inside a shared ($ref'd) part is validated in every event that carries it", () => {
  // bbb-webhooks puts the meeting of every mapped event in `attributes.meeting` (the shared
  // common/meeting part); the recording scripts' events (rap-*) carry a meeting of their own
  // shape. The required fields come from the shared part and the events from the examples, not
  // from the events' $refs, so an event whose $ref is lost is still tested.
  const bbb = loaded.find((p) => p.name === "bigbluebutton")!;
  const meeting = bbb.shared.find((s) => s.base === "meeting")!.schema;
  const withMeeting = bbb.events.filter((e) => !e.base.startsWith("rap-") && (e.schema.examples as any[]).some((x) => isObject(x?.data?.attributes?.meeting)));

  it("BigBlueButton: every event with a meeting (user-audio-muted among them) refuses one without its required fields", () => {
    expect(meeting.required).not.toHaveLength(0);
    const missed: string[] = [];
    const tested: string[] = [];
    for (const event of withMeeting) {
      for (const example of event.schema.examples as any[]) {
        if (!isObject(example?.data?.attributes?.meeting)) continue;
        for (const field of meeting.required as string[]) {
          tested.push(event.base);
          const pointer = `/data/attributes/meeting/${field}`;
          const result = parseDelivery("bigbluebutton", { headers: {}, body: encodeBody("bigbluebutton", mutate(example, { remove: [pointer] })) });
          if (result.ok || result.error.pointer !== pointer) missed.push(`${event.base} without ${pointer}: ${JSON.stringify(result.ok || result.error.pointer)}`);
        }
      }
    }
    expect(missed).toEqual([]);
    expect(tested).toContain("user-audio-muted");
  });
});

describe("3. a dedupe store that fails: the delivery is not acknowledged and no matcher runs", () => {
  const joined = exampleOf("whereby", "room.client.joined");
  const failing = (how: "throws" | "rejects"): DedupeStore => ({
    claim: how === "throws" ? () => { throw new Error("store down"); } : async () => { throw new Error("store down"); },
    release: () => {},
  });

  for (const how of ["throws", "rejects"] as const) {
    it(`a store whose claim ${how}: a 5xx answer over HTTP, the matcher not run, the failure reported, the provider's retry runs it`, async () => {
      const matcher = vi.fn(() => true);
      const onError = vi.fn();
      const emitted: ParsedEvent[] = [];
      let broken = true;
      const working = new Map<string, true>();
      const store: DedupeStore = {
        claim: (key, ttl) => (broken ? failing(how).claim(key, ttl) : !working.has(key) && working.set(key, true).size > 0),
        release: (key) => void working.delete(key),
      };
      const trigger = createTrigger({ provider: "whereby", secret: secrets.whereby, ...quiet, onError, dedupe: store, webhookTriggers: { "room.client.joined": matcher } });
      trigger.on("trigger_event_success", (parsed) => void emitted.push(parsed));
      const base = await start(trigger);
      const request = await signDelivery("whereby", joined, { secret: secrets.whereby });

      const refused = await send(base, request);
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(refused.status).toBeLessThan(600);
      expect(refused.body).toMatchObject({ ok: false });
      expect(matcher).not.toHaveBeenCalled();
      expect(emitted).toEqual([]);
      expect(onError.mock.calls.map(([error]) => (error as Error).message).some((message) => message.includes("store down")), "the store's failure reaches onError").toBe(true);

      broken = false;
      expect(await send(base, request)).toMatchObject({ status: 200, body: { ok: true, events: 1, duplicates: 0 } });
      expect(matcher).toHaveBeenCalledOnce();
      expect(emitted).toHaveLength(1);
    });
  }

  it("BigBlueButton: one event's claim fails among several: 5xx, the others run once, the retry runs only the failed one", async () => {
    const events = ["w_1", "w_2", "w_3"].map((id, i) => {
      const event = exampleOf("bigbluebutton", "user-joined");
      event.data.attributes.user["internal-user-id"] = id;
      event.data.event.ts += i;
      return event;
    });
    const seen: string[] = [];
    const claimed = new Set<string>();
    let failOnce = true;
    const store: DedupeStore = {
      claim: async (key) => {
        if (claimed.size === 1 && failOnce) {
          failOnce = false;
          throw new Error("store down");
        }
        if (claimed.has(key)) return false;
        claimed.add(key);
        return true;
      },
      release: (key) => void claimed.delete(key),
    };
    const base = await start(createTrigger({
      provider: "bigbluebutton",
      secret: secrets.bigbluebutton,
      callbackUrl,
      ...quiet,
      dedupe: store,
      webhookTriggers: { "user-joined": (event) => (seen.push(event.data.attributes.user["internal-user-id"]), true) },
    }));
    const request = await signDelivery("bigbluebutton", events, { secret: secrets.bigbluebutton, callbackUrl });
    expect((await send(base, request)).status).toBeGreaterThanOrEqual(500);
    expect(seen.sort()).toEqual(["w_1", "w_3"]);
    expect(await send(base, request)).toMatchObject({ status: 200, body: { events: 3, duplicates: 2 } });
    expect(seen.sort()).toEqual(["w_1", "w_2", "w_3"]);
  });
});

describe("4. lint: additionalProperties: false is refused at any depth", () => {
  // One object of a real schema file closed at a time, or a closed object added under anyOf,
  // items or a map's values: lint must name exactly that place and nothing else.
  const provider = loaded[0]!;
  const file = provider.events[0]!;
  const closedObject = { type: "object", description: "A closed object.", properties: { a: { type: "string", description: "A field." } }, additionalProperties: false };
  const cases: { name: string; edit: (schema: JsonSchema) => void; pointer: string }[] = [
    { name: "the file's root", edit: (s) => void (s.additionalProperties = false), pointer: "/additionalProperties" },
    {
      name: "a property's object",
      edit: (s) => void ((s.properties as JsonSchema).probe = closedObject),
      pointer: "/properties/probe/additionalProperties",
    },
    {
      name: "an object two levels down",
      edit: (s) => void ((s.properties as JsonSchema).probe = { type: "object", description: "Outer.", properties: { inner: closedObject } }),
      pointer: "/properties/probe/properties/inner/additionalProperties",
    },
    {
      name: "an anyOf branch",
      edit: (s) => void ((s.properties as JsonSchema).probe = { description: "A union.", anyOf: [{ type: "string" }, closedObject] }),
      pointer: "/properties/probe/anyOf/1/additionalProperties",
    },
    {
      name: "an array's items",
      edit: (s) => void ((s.properties as JsonSchema).probe = { type: "array", description: "A list.", items: closedObject }),
      pointer: "/properties/probe/items/additionalProperties",
    },
    {
      name: "a map's value schema",
      edit: (s) => void ((s.properties as JsonSchema).probe = { type: "object", description: "A map.", additionalProperties: closedObject }),
      pointer: "/properties/probe/additionalProperties/additionalProperties",
    },
  ];

  it("the unedited schemas pass (what the cases below edit)", () => {
    expect(() => lintSchemas([provider])).not.toThrow();
  });

  for (const { name, edit, pointer } of cases) {
    it(`${name}: refused at ${pointer}`, () => {
      const schema = structuredClone(file.schema);
      edit(schema);
      const edited: LoadedProvider = { ...provider, events: provider.events.map((e) => (e === file ? { ...e, schema } : e)) };
      let thrown: unknown;
      try {
        lintSchemas([edited]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SchemaErrors);
      expect((thrown as SchemaErrors).errors.map((e) => `${e.file}#${e.pointer}`)).toEqual([`${file.file}#${pointer}`]);
    });
  }

  it("a closed object inside a shared (common/) file is refused too", () => {
    const target = provider.shared.find((s) => isObject(s.schema.properties))!;
    const schema = structuredClone(target.schema);
    (schema.properties as JsonSchema).probe = closedObject;
    const edited: LoadedProvider = { ...provider, shared: provider.shared.map((s) => (s === target ? { ...s, schema } : s)) };
    expect(() => lintSchemas([edited])).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ file: target.file, pointer: "/properties/probe/additionalProperties" })] }));
  });
});

describe("stop() waits for the deliveries in flight (decided by a promise the test holds, not by timing)", () => {
  for (const responseTimeoutMs of [false, 4000] as const) {
    it(`handleDelivery, responseTimeoutMs ${responseTimeoutMs}: stop() resolves only after the matcher it waits on is released`, async () => {
      const order: string[] = [];
      let entered!: () => void;
      let release!: () => void;
      const inMatcher = new Promise<void>((resolve) => (entered = resolve));
      const trigger = createTrigger({
        provider: "whereby",
        secret: secrets.whereby,
        ...quiet,
        responseTimeoutMs,
        webhookTriggers: {
          "room.client.joined": async () => {
            entered();
            await new Promise<void>((resolve) => (release = resolve));
            order.push("matcher done");
            return true;
          },
        },
      });
      const answered = trigger.handleDelivery(await signDelivery("whereby", exampleOf("whereby", "room.client.joined"), { secret: secrets.whereby }));
      await inMatcher;
      const stopped = trigger.stop({ timeoutMs: 60_000 }).then(() => void order.push("stopped"));
      // No server is listening, so a stop() that did not wait would have resolved within these ticks.
      await tick();
      expect(order).toEqual([]);
      expect(await trigger.handleDelivery({ headers: {}, body: "{}" })).toMatchObject({ status: 503 });
      release();
      await stopped;
      expect(order).toEqual(["matcher done", "stopped"]);
      expect((await answered).status).toBe(200);
    });
  }
});

describe("Whereby transcription.finished: storageType accepts exactly Whereby's two values (a runtime twin of the type test)", () => {
  const finished = exampleOf("whereby", "transcription.finished");
  const parse = (storageType: unknown) => parseDelivery("whereby", { headers: {}, body: JSON.stringify({ ...finished, data: { ...finished.data, storageType } }) });

  it("accepts WHEREBY_HOSTED and SELF_HOSTED", () => {
    for (const storageType of ["WHEREBY_HOSTED", "SELF_HOSTED"]) expect(parse(storageType), storageType).toMatchObject({ ok: true });
  });

  it("refuses any other value at /data/storageType", () => {
    for (const storageType of ["S3", "CUSTOMER_HOSTED", "EXTERNAL", "whereby_hosted", "self_hosted", "SELF-HOSTED", "WHEREBY", "", null, 1, true, ["SELF_HOSTED"]]) {
      expect(parse(storageType), JSON.stringify(storageType)).toMatchObject({ ok: false, error: { code: "invalid", pointer: "/data/storageType" } });
    }
  });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
