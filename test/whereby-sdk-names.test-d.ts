// A matcher file written only with the names of Whereby's assistant SDK ("Trigger Types", the seeds
// 000 and 001), as an SDK user has it: only the import path differs. Run by `npm test` (--typecheck).
import { describe, expectTypeOf, it } from "vitest";
import type {
  WebhookType,
  WherebyRoleName,
  WherebyWebhookBase,
  WherebyWebhookDataClient,
  WherebyWebhookDataClientJoinLeave,
  WherebyWebhookInRoom,
  WherebyWebhookRoomClientJoined,
  WherebyWebhookRoomClientLeft,
  WherebyWebhookRoomSessionEnded,
  WherebyWebhookRoomSessionStarted,
  WherebyWebhookTriggers,
  WherebyWebhookTriggerTypes,
  WherebyWebhookType,
} from "../generated/src/whereby/index.js";
import { createWherebyTrigger, type WherebyEvent, type WherebyRoomClientJoinedEvent } from "../generated/src/whereby/index.js";

// --- the SDK user's matcher file, unchanged (tsc checks it: `npm run typecheck`, run by npm test) ---
const isHost = (role: WherebyRoleName) => role === "host";

export const webhookTriggers: Partial<WherebyWebhookTriggers> = {
  "room.client.joined": (webhookData: WherebyWebhookRoomClientJoined) => isHost(webhookData.data.roleName),
  "room.client.left": async (webhookData: WherebyWebhookRoomClientLeft) => webhookData.data.numClients === 0,
  "room.session.started": (webhookData: WherebyWebhookRoomSessionStarted) => webhookData.data.roomName.startsWith("/standup"),
  "room.session.ended": (webhookData: WherebyWebhookRoomSessionEnded) => webhookData.type === "room.session.ended",
};

function describeWebhook(webhook: WherebyWebhookType): string {
  const base: WherebyWebhookBase = webhook;
  const kind: WebhookType = webhook.type;
  if (base.apiVersion !== "1.0") return `${kind} (API ${base.apiVersion})`;
  switch (webhook.type) {
    case "room.client.joined":
    case "room.client.left": {
      const inRoom: WherebyWebhookInRoom = webhook.data;
      const client: WherebyWebhookDataClient = webhook.data;
      const counts: WherebyWebhookDataClientJoinLeave = webhook.data;
      return `${kind} ${client.displayName} in ${inRoom.roomName} (${counts.numClients})`;
    }
    default:
      return kind;
  }
}

const byType: { [Type in keyof WherebyWebhookTriggerTypes]?: (data: WherebyWebhookTriggerTypes[Type]) => void } = {
  "room.client.joined": (joined) => void joined.data.participantId,
};
// --- end of the SDK user's file ---

describe("Whereby's assistant SDK names", () => {
  it("are our types, so the SDK user's matchers plug into createWherebyTrigger", () => {
    createWherebyTrigger({ secret: "s", webhookTriggers });
    expectTypeOf<WherebyWebhookRoomClientJoined>().toEqualTypeOf<WherebyRoomClientJoinedEvent>();
    expectTypeOf<WherebyWebhookType>().toEqualTypeOf<WherebyEvent>();
    expectTypeOf<WebhookType>().toEqualTypeOf<WherebyEvent["type"]>();
    expectTypeOf(describeWebhook).returns.toEqualTypeOf<string>();
    expectTypeOf(byType).not.toBeAny();
  });
});
