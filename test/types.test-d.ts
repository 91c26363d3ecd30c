// Type tests, checked by tsc in `npm test` (test/package.test.ts runs `npm run typecheck`). Each @ts-expect-error must be an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createTrigger,
  parseDelivery,
  type BigBlueButtonEvent,
  type BigBlueButtonUserJoinedEvent,
  type DailyParticipantJoinedEvent,
  type IotumEnterConferenceEvent,
  type IotumEvent,
  type ParsedEvent,
  type WherebyEvent,
  type WherebyRoomClientJoinedEvent,
} from "../generated/src/index.js";
import { createDailyTrigger } from "../generated/src/daily/index.js";
import { createBullMQQueue, createCloudflareQueue, createConsumer, type QueueMessage } from "../generated/src/index.js";
import { createWherebyConsumer, createWherebyTrigger, createWherebyWebhookTriggers, isWherebyRoomClientJoinedEvent, validateWherebyEvent, type WherebyParsedEvent } from "../generated/src/whereby/index.js";

describe("Whereby", () => {
  it("gives each matcher its own event type", () => {
    createWherebyWebhookTriggers({
      "room.client.joined": (event) => {
        expectTypeOf(event).toEqualTypeOf<WherebyRoomClientJoinedEvent>();
        expectTypeOf(event.data.roleName).toEqualTypeOf<"owner" | "member" | "host" | "visitor" | "granted_visitor" | "viewer" | "granted_viewer" | "recorder" | "streamer" | "captioner" | "assistant">();
        // @ts-expect-error transcription fields do not exist on a join event
        return event.data.transcriptionId === "x";
      },
      // @ts-expect-error a matcher returns a boolean
      "room.client.left": () => "yes",
    });
    // @ts-expect-error a misspelt event type is not a slot
    createWherebyWebhookTriggers({ "room.client.join": () => true });
  });

  it("narrows the union with a switch on type", () => {
    const result = validateWherebyEvent({});
    if (!result.ok) return;
    const event: WherebyEvent = result.value;
    switch (event.type) {
      case "transcription.finished":
        expectTypeOf(event.data.storageType).toEqualTypeOf<"WHEREBY_HOSTED" | "SELF_HOSTED">();
        break;
      case "room.client.knocked":
        expectTypeOf(event.data.displayName).toEqualTypeOf<string | undefined>();
        // @ts-expect-error knock events carry no role
        void event.data.roleName;
        break;
      default:
        expectTypeOf(event.type).toEqualTypeOf<Exclude<WherebyEvent["type"], "transcription.finished" | "room.client.knocked">>();
    }
  });

  it("narrows unknown values with the guards", () => {
    const value: unknown = JSON.parse("{}");
    if (isWherebyRoomClientJoinedEvent(value)) expectTypeOf(value.data.numClients).toEqualTypeOf<number>();
  });
});

describe("Daily", () => {
  it("types the participant.joined matcher of a trigger", () => {
    createTrigger({
      provider: "daily",
      secret: "c2VjcmV0",
      webhookTriggers: {
        "participant.joined": (event) => {
          expectTypeOf(event).toEqualTypeOf<DailyParticipantJoinedEvent>();
          // @ts-expect-error `duration` is only on participant.left
          return event.payload.duration > 60;
        },
      },
    });
    createDailyTrigger({ secret: "c2VjcmV0", webhookTriggers: { "participant.joined": (event) => event.payload.room === "standup" } });
  });
});

describe("BigBlueButton", () => {
  it("narrows on the nested discriminant data.id", () => {
    const event = {} as BigBlueButtonEvent;
    if (event.data.id === "user-joined") {
      expectTypeOf(event.data.attributes.user.role).toEqualTypeOf<"MODERATOR" | "VIEWER">();
    }
    // @ts-expect-error without narrowing, not every event has a user
    void event.data.attributes.user;
  });

  it("narrows a parsed delivery by type", () => {
    const result = parseDelivery("bigbluebutton", { headers: {}, body: "" });
    if (!result.ok) return;
    for (const parsed of result.events) {
      expectTypeOf(parsed.provider).toEqualTypeOf<"bigbluebutton">();
      if (parsed.type === "user-joined") expectTypeOf(parsed.event).toEqualTypeOf<BigBlueButtonUserJoinedEvent>();
    }
  });
});

describe("iotum", () => {
  it("narrows on event and types the decoded payload", () => {
    const event = {} as IotumEvent;
    if (event.event === "enter_conference") {
      expectTypeOf(event).toEqualTypeOf<IotumEnterConferenceEvent>();
      expectTypeOf(event.payload.participant_role).toEqualTypeOf<"organizer" | "moderator" | "participant">();
    }
  });

  it("narrows ParsedEvent across providers", () => {
    const parsed = {} as ParsedEvent;
    if (parsed.provider === "iotum" && parsed.type === "conference_end") expectTypeOf(parsed.event.payload.conference_id).toEqualTypeOf<number>();
    // @ts-expect-error an unknown provider is refused
    parseDelivery("teleconf", { headers: {}, body: "" });
  });
});

describe("a queue and its consumers (issue 25)", () => {
  it("types a consumer's matchers as the trigger's, and its listeners' message", () => {
    createWherebyConsumer({
      webhookTriggers: {
        "room.client.joined": (event) => {
          expectTypeOf(event).toEqualTypeOf<WherebyRoomClientJoinedEvent>();
          return event.data.roleName === "host";
        },
        // @ts-expect-error a matcher returns a boolean
        "room.client.left": () => "yes",
      },
    }).on("trigger_event_success", (message) => {
      expectTypeOf(message).toEqualTypeOf<QueueMessage<WherebyParsedEvent>>();
      expectTypeOf(message.receivedAt).toEqualTypeOf<number>();
      if (message.type === "room.client.joined") expectTypeOf(message.event).toEqualTypeOf<WherebyRoomClientJoinedEvent>();
    });
    createConsumer({ provider: "daily", webhookTriggers: { "participant.joined": (event) => event.payload.room === "standup" } });
    // @ts-expect-error a misspelt event type is not a slot
    createConsumer({ provider: "daily", webhookTriggers: { "participant.join": () => true } });
  });

  it("takes the adapters, or any object with send, as a trigger's queue", () => {
    createWherebyTrigger({ secret: "s", queue: createBullMQQueue({ add: async () => ({}) }) });
    createWherebyTrigger({ secret: "s", queue: createCloudflareQueue({ send: async () => {} }) });
    createWherebyTrigger({ secret: "s", queue: { send: async (message) => void expectTypeOf(message).toEqualTypeOf<QueueMessage<WherebyParsedEvent>>() } });
    // @ts-expect-error a queue has send
    createWherebyTrigger({ secret: "s", queue: { add: async () => {} } });
  });
});
