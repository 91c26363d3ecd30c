#!/usr/bin/env node
/**
 * First drafts of schemas/zoom/*.schema.json and schemas/zoom/common/*.schema.json from Zoom's
 * published Meetings webhooks document (OpenAPI 3.1, one `webhooks` entry per event).
 *
 * Source document: "Meetings" webhooks (info.title "Meetings", 105 webhooks), the file Zoom's docs
 * site loads for https://developers.zoom.us/docs/api/meetings/events/, as kept by
 *   repository campfhir/renkei, path docs/zoom-meeting-events-open-api-spec.json,
 *   commit ed4ce4965a6b9e4b8a02a680646c24892dc01d0c (2026-08-09), blob 30277dc2.
 * Drafted 2026-11-29.
 *
 * The committed schemas are the source of truth: this script only gave first drafts, which were
 * then reviewed by hand (required fields, types, examples, descriptions). Running it again
 * overwrites the reviewed files, so write to another folder and compare:
 *
 *   node schemas/zoom/draft/openapi-to-schemas.mjs <document.json> <out-dir>
 *
 * What it does, per event:
 * - drops what schemas/README.md refuses or what would refuse real deliveries:
 *   `additionalProperties: false`, `format`, `pattern`, length and range limits, and most `enum`s
 *   (Zoom's value lists differ between events and its own examples break them; the values are
 *   kept in the description instead);
 * - `required` keeps only fields that Zoom's schema requires AND Zoom's example sends;
 * - fields the example sends but the schema lacks are declared from the example's values;
 * - where the example's type differs from the schema's, both types are accepted;
 * - `payload.object.id` (a meeting or webinar id) accepts an integer or a string everywhere;
 * - the three broken `$ref`s (`#/paths/...` in a document that has `webhooks`) are resolved;
 * - recurring parts (envelope, payload, meeting, participant, recording file, registrant, …)
 *   become files in common/, referenced with `allOf`;
 * - every disagreement found is appended to the field's description.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [documentPath, outDir] = process.argv.slice(2);
if (!documentPath || !outDir) {
  console.error("usage: node openapi-to-schemas.mjs <document.json> <out-dir>");
  process.exit(2);
}
const document = JSON.parse(readFileSync(documentPath, "utf8"));
const idBase = "https://confhooks.dev/schemas/zoom/";
const dialect = "https://json-schema.org/draft/2020-12/schema";

/** Hand-written root descriptions and titles (our words), by event. */
const events = JSON.parse(readFileSync(new URL("./events.json", import.meta.url), "utf8"));

/** Enums kept as enums (closed sets): everything else goes to the description. */
const keptEnums = {
  operation: (family) => (family === "recording" ? ["trash_user_recordings", "trash_account_recordings"] : ["all", "single", "range"]),
  scope: () => ["all", "single", "range"],
};

// ---------------------------------------------------------------------------------------------
// Helpers

const clone = (v) => structuredClone(v);
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const jsonType = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
const typesOf = (schema) => (schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]);
const accepts = (types, value) => types.length === 0 || types.includes(jsonType(value)) || (jsonType(value) === "integer" && types.includes("number"));

/** Zoom's description, condensed: links and emphasis removed, first sentence, value lists kept short. */
function condense(text) {
  if (typeof text !== "string") return undefined;
  let t = text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\*\*/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\r/g, "");
  const short = (v) => v.length <= 40 && v.split(/\s+/).length <= 4;
  const bulletLines = [...t.matchAll(/^\s*\*\s+(.+)$/gm)].map((m) => m[1].trim());
  const bullets = bulletLines
    .map((line) => line.match(/^`?([^`]+?)`?\s+(?:-|—|–)\s+(.+)$/))
    .filter((m) => m && short(m[1]))
    .map((m) => `${m[1].trim()} ${m[2].trim().replace(/\.$/, "")}`);
  const bare = bullets.length === 0 ? bulletLines.map((l) => l.replace(/`/g, "")).filter((l) => short(l) && !/[.:]$/.test(l)) : [];
  const first = t.split(/\n\s*\n|\n\s*\*/)[0].replace(/\s+/g, " ").trim();
  let sentence = first.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? first;
  if (sentence.length > 260) sentence = `${sentence.slice(0, 257).replace(/\s+\S*$/, "")}…`;
  sentence = sentence.replace(/:$/, ".");
  if (!/[.!?…]$/.test(sentence)) sentence += ".";
  const values = bullets.length > 0 ? bullets : bare;
  if (values.length > 0) {
    const list = values.map((v) => (v.length > 60 ? `${v.slice(0, 57).replace(/\s+\S*$/, "")}…` : v)).join("; ");
    sentence += ` Documented values: ${list}.`;
  }
  return sentence.replace(/\s+/g, " ").trim();
}

/** A schema inferred from a value of Zoom's example (for fields its schema does not declare). */
function infer(value, name) {
  const type = jsonType(value);
  const note = `Not in Zoom's schema; Zoom's example sends it${name ? ` (\`${name}\`)` : ""}.`;
  if (type === "object") {
    const properties = {};
    for (const [k, v] of Object.entries(value)) properties[k] = infer(v, k);
    return { type: "object", description: note, properties };
  }
  if (type === "array") {
    const out = { type: "array", description: note };
    if (value.length > 0) out.items = stripItemDescription(infer(value[0]));
    return out;
  }
  if (type === "null") return { description: note };
  return { type, description: note };
}

function stripItemDescription(schema) {
  const { description, ...rest } = schema;
  return rest;
}

/** Resolves the document's broken `#/paths/<event>/…` references against `webhooks`. */
function resolveRef(ref) {
  const tokens = ref.replace(/^#\//, "").split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (tokens[0] === "paths") tokens[0] = "webhooks";
  let node = document;
  for (const token of tokens) node = node?.[token];
  if (!node) throw new Error(`cannot resolve ${ref}`);
  return clone(node);
}

/** Flattens `anyOf`/`oneOf` alternatives into one schema (types unioned, object fields merged). */
function flattenAlternatives(schema) {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (!alternatives) return schema;
  const { anyOf, oneOf, ...rest } = schema;
  const merged = { ...rest };
  const types = new Set(typesOf(rest));
  for (const alt of alternatives) {
    const a = flattenAlternatives(alt.$ref ? resolveRef(alt.$ref) : alt);
    for (const t of typesOf(a)) types.add(t);
    if (a.properties) merged.properties = { ...a.properties, ...(merged.properties ?? {}) };
    if (a.items && !merged.items) merged.items = a.items;
    if (!merged.description && a.description) merged.description = a.description;
  }
  if (types.size > 0) merged.type = types.size === 1 ? [...types][0] : [...types];
  return merged;
}

/** Descriptions for the few nodes Zoom leaves undescribed. */
const defaultDescriptions = {
  payload: "What the event is about: the account, usually who did it, and the object concerned.",
  object: "The object the event is about.",
  old_object: "The previous values of the fields that changed.",
};

// ---------------------------------------------------------------------------------------------
// Conversion of one schema node, guided by Zoom's example value at the same place.

/**
 * @param schema Zoom's schema node
 * @param examples the example values found at this place (an array: several for array items)
 * @param at JSON pointer (for messages and special cases)
 * @param ctx { event, family, notes }
 */
function convert(schema, examples, at, ctx) {
  if (schema.$ref) schema = { ...resolveRef(schema.$ref), ...(schema.description ? { description: schema.description } : {}) };
  schema = flattenAlternatives(schema);
  if (schema.item && !schema.items) schema = { ...schema, items: schema.item };
  const out = {};
  const name = at.split("/").filter((t) => t !== "items").pop();
  let types = typesOf(schema);
  const description = [condense(schema.description)].filter(Boolean);

  // Enums: kept only for closed sets; otherwise the values go to the description.
  if (Array.isArray(schema.enum)) {
    const keep = keptEnums[name];
    if (keep) out.enum = keep(ctx.family);
    else if (!/Documented values:/.test(description[0] ?? "")) description.push(`Documented values: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}.`);
  }

  // Types: where the example disagrees with the schema, accept both.
  const present = examples.filter((v) => v !== undefined);
  for (const value of present) {
    if (types.length > 0 && !accepts(types, value)) {
      const t = jsonType(value);
      if (t === "null") continue;
      description.push(`Zoom's schema types it as ${types.join(" or ")}, but Zoom's example sends ${t === "integer" ? "an integer" : `a ${t}`} (${JSON.stringify(value).slice(0, 40)}): both are accepted.`);
      types = [...types, t];
      ctx.notes.push(`${at}: schema ${typesOf(schema).join("/")} vs example ${t}`);
    }
  }
  if (out.enum) {
    for (const value of present) if (!out.enum.includes(value)) out.enum.push(value);
  }
  if (types.length > 0) out.type = types.length === 1 ? types[0] : types;
  if (schema.deprecated === true) out.deprecated = true;

  if (types.includes("object") || schema.properties) {
    const objects = present.filter(isObject);
    const properties = {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      properties[key] = convert(child, objects.map((o) => o[key]), `${at}/${key}`, ctx);
    }
    // Fields the example sends but the schema lacks.
    for (const o of objects) {
      for (const [key, value] of Object.entries(o)) {
        if (properties[key]) continue;
        properties[key] = infer(value, key);
        ctx.notes.push(`${at}/${key}: in the example, not in the schema`);
      }
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
    // Required: what the schema requires and every example sends.
    const required = (schema.required ?? []).filter((k) => properties[k]);
    if (objects.length > 0) {
      const kept = required.filter((k) => objects.every((o) => k in o));
      for (const k of required.filter((k) => !kept.includes(k))) {
        properties[k].description = `${properties[k].description ?? ""} Zoom's schema marks it required, but Zoom's example omits it: optional.`.trim();
        ctx.notes.push(`${at}/${k}: required by the schema, absent from the example`);
      }
      if (kept.length > 0) out.required = kept;
    }
  }
  if (types.includes("array") || schema.items) {
    const arrays = present.filter(Array.isArray);
    if (schema.items) out.items = stripItemDescription(convert(schema.items, arrays.flat(), `${at}/items`, ctx));
    else if (arrays.flat().length > 0) out.items = stripItemDescription(infer(arrays.flat()[0]));
  }
  const text = description.join(" ").trim();
  out.description = text || defaultDescriptions[name] || `\`${name}\` as Zoom sends it.`;
  return order(out);
}

/** Keyword order of the committed files: description first, then type and the rest. */
function order(schema) {
  const keys = ["$schema", "$id", "title", "description", "deprecated", "type", "const", "enum", "allOf", "properties", "required", "items", "examples"];
  const out = {};
  for (const k of keys) if (k in schema) out[k] = schema[k];
  for (const k of Object.keys(schema)) if (!(k in out)) out[k] = schema[k];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared parts

/**
 * Each shared part: the file, what it is, and where it is used (event pattern + pointer).
 * The part's fields are the union of the fields at those places; an event keeps locally only the
 * fields the part lacks, or a field whose type differs from the part's.
 */
const shared = [
  {
    file: "meeting",
    title: "Zoom meeting or webinar",
    description: "The meeting (or, in `webinar.*` events, the webinar) that most Meetings events describe under `payload.object`: its id, instance UUID, host and schedule. Which fields are sent, and which are always sent, depends on the event.",
    where: (event, object) => !event.startsWith("user.") && object?.properties?.uuid && object?.properties?.host_id,
    pointers: ["/payload/object"],
    fields: ["id", "uuid", "host_id", "host_email", "topic", "type", "start_time", "timezone", "duration"],
  },
  {
    file: "participant",
    title: "Zoom meeting or webinar participant",
    description: "A participant of a meeting or webinar, as the participant events describe it under `payload.object.participant`. The identifying fields are shared; each event adds its own (join or leave time, role, sharing details…).",
    where: (event) => /^(meeting|webinar)\.(participant_(joined|left|jbh_|joined_|left_|admitted|put_in|role_changed|bind|feedback)|sharing_|breakout_room_sharing_)/.test(event),
    pointers: ["/payload/object/participant"],
    fields: ["user_id", "user_name", "id", "participant_uuid", "email", "registrant_id", "participant_user_id", "customer_key", "phone_number"],
  },
  {
    file: "registrant",
    title: "Zoom registrant",
    description: "A person who registered for a meeting, webinar or recording, as the `*.registration_*` events describe them under `payload.object.registrant`.",
    where: (event) => /\.registration_/.test(event),
    pointers: ["/payload/object/registrant"],
  },
  {
    file: "occurrence",
    title: "Zoom occurrence",
    description: "One occurrence of a recurring meeting or webinar.",
    where: () => true,
    pointers: ["/payload/object/occurrences/items", "/payload/old_object/occurrences/items"],
  },
  {
    file: "recording-file",
    title: "Zoom recording file",
    description: "One file of a cloud recording (video, audio, transcript, chat, timeline, summary…), as the `recording.*` events list them in `recording_files`.",
    where: (event) => event.startsWith("recording."),
    pointers: ["/payload/object/recording_files/items"],
  },
  {
    file: "participant-audio-file",
    title: "Zoom participant audio file",
    description: "One participant's separate audio file of a cloud recording, as the `recording.*` events list them in `participant_audio_files`.",
    where: (event) => event.startsWith("recording."),
    pointers: ["/payload/object/participant_audio_files/items"],
  },
  {
    file: "meeting-summary",
    title: "Zoom meeting summary",
    description: "An AI Companion meeting summary, as the `meeting.summary_*` events describe it under `payload.object`.",
    where: (event) => event.startsWith("meeting.summary_"),
    pointers: ["/payload/object"],
  },
  {
    file: "chat-message",
    title: "Zoom in-meeting chat message",
    description: "A chat message sent in a meeting or webinar.",
    where: (event) => /\.chat_message_sent$/.test(event),
    pointers: ["/payload/object/chat_message"],
  },
  {
    file: "chat-message-file",
    title: "Zoom in-meeting chat file",
    description: "A file sent, or downloaded, in a meeting's or webinar's chat.",
    where: (event) => /\.chat_message_file_/.test(event),
    pointers: ["/payload/object/chat_message_file"],
  },
  {
    file: "sharing-details",
    title: "Zoom screen-sharing details",
    description: "What a participant shares (desktop, application, whiteboard…), as the sharing events describe it.",
    where: () => true,
    pointers: ["/payload/object/participant/sharing_details"],
  },
  {
    file: "tsp-credentials",
    title: "Zoom TSP credentials",
    description: "A user's telephony service provider (TSP) audio conference credentials.",
    where: (event) => event.startsWith("user.tsp_"),
    pointers: ["/payload/object/tsp_credentials", "/payload/old_object/tsp_credentials"],
  },
];

function getAt(schema, pointer) {
  let node = schema;
  for (const token of pointer.split("/").slice(1)) {
    if (!node) return undefined;
    node = token === "items" ? node.items : node.properties?.[token];
  }
  return node;
}

function setAt(schema, pointer, value) {
  const tokens = pointer.split("/").slice(1);
  const last = tokens.pop();
  let node = schema;
  for (const token of tokens) node = token === "items" ? node.items : node.properties[token];
  if (last === "items") node.items = value;
  else node.properties[last] = value;
}

// ---------------------------------------------------------------------------------------------
// Main

const drafts = new Map();
const notes = {};
for (const [event, entry] of Object.entries(document.webhooks)) {
  const content = entry.post.requestBody.content["application/json"];
  const examples = Object.values(content.examples ?? {}).map((e) => JSON.parse(e.value));
  const meta = events[event];
  if (!meta) throw new Error(`no title/description for ${event} in events.json`);
  for (const repair of meta.repairs ?? []) {
    for (const example of examples) {
      if (repair.set) for (const [pointer, value] of Object.entries(repair.set)) setValue(example, pointer, value);
    }
  }
  const ctx = { event, family: event.split(".")[0], notes: [] };
  const converted = convert(content.schema, examples, "", ctx);
  notes[event] = ctx.notes;
  drafts.set(event, { converted, examples, meta });
}

/** Sets (or, with null, deletes) the value at a JSON pointer, creating objects on the way. */
function patch(target, pointer, value) {
  const tokens = pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = tokens.pop();
  let node = target;
  for (const t of tokens) node = node[t] ??= {};
  if (value === null) delete node[last];
  else node[last] = value;
}

function setValue(target, pointer, value) {
  const tokens = pointer.split("/").slice(1);
  const last = tokens.pop();
  let node = target;
  for (const t of tokens) node = node[t];
  node[last] = value;
}

// The `payload.object.id` policy: a meeting or webinar id is accepted as an integer or a string.
for (const [event, { converted }] of drafts) {
  if (event.startsWith("user.")) continue;
  for (const key of ["object", "old_object"]) {
    const id = converted.properties?.payload?.properties?.[key]?.properties?.id;
    if (!id) continue;
    const said = typesOf(id).join(" or ");
    id.type = ["integer", "string"];
    id.description = `${id.description} Zoom's schema for this event types it as ${said}; Zoom sends meeting ids as integers in some events and as strings in others, so both are accepted.`;
  }
}

// Shared parts: union of fields at every place they occur.
const parts = new Map();
for (const part of shared) {
  const properties = {};
  let required;
  const users = [];
  for (const [event, { converted }] of drafts) {
    for (const pointer of part.pointers) {
      const node = getAt(converted, pointer);
      if (!node?.properties || !part.where(event, node)) continue;
      users.push({ event, pointer });
      const fields = part.fields ?? Object.keys(node.properties);
      for (const field of fields) {
        const child = node.properties[field];
        if (!child) continue;
        if (!properties[field]) properties[field] = clone(child);
        else {
          const union = [...new Set([...typesOf(properties[field]), ...typesOf(child)])];
          if (union.length > typesOf(properties[field]).length) {
            properties[field].type = union.length === 1 ? union[0] : union;
            properties[field].description += ` Its type differs between events (${union.join(", ")}): all are accepted.`;
          }
        }
      }
      const here = (node.required ?? []).filter((k) => fields.includes(k));
      required = required === undefined ? here : required.filter((k) => here.includes(k));
    }
  }
  for (const p of Object.values(properties)) p.description = p.description.replace(/ Zoom's schema marks it required, but Zoom's example omits it: optional\./, "");
  parts.set(part.file, { part, properties, required: required ?? [], users });
}

// Replace each place by the part plus what is specific to the event.
for (const { part, properties, users } of parts.values()) {
  for (const { event, pointer } of users) {
    const { converted } = drafts.get(event);
    const node = getAt(converted, pointer);
    const local = {};
    for (const [k, v] of Object.entries(node.properties)) {
      const common = properties[k];
      const sameType = common && JSON.stringify(typesOf(common).sort()) === JSON.stringify(typesOf(v).sort());
      if (!common || !sameType || (part.fields && !part.fields.includes(k))) local[k] = v;
    }
    const ref = pointer.includes("/payload/object/") || pointer.endsWith("/items") ? `common/${part.file}.schema.json` : `common/${part.file}.schema.json`;
    const replacement = { description: node.description, type: "object", allOf: [{ $ref: ref }] };
    if (Object.keys(local).length > 0) replacement.properties = local;
    if (node.required?.length) replacement.required = node.required;
    const isItems = pointer.endsWith("/items");
    setAt(converted, pointer, order(isItems && !replacement.properties && !replacement.required ? { $ref: ref } : isItems ? stripItemDescription(replacement) : replacement));
  }
}

// ---------------------------------------------------------------------------------------------
// Output

mkdirSync(path.join(outDir, "common"), { recursive: true });
const write = (file, schema) => writeFileSync(path.join(outDir, file), `${JSON.stringify(schema, null, 2)}\n`);

write("common/envelope.schema.json", {
  $schema: dialect,
  $id: `${idBase}common/envelope.schema.json`,
  title: "Zoom webhook envelope",
  description:
    "The three fields of every Zoom Meetings webhook body: one JSON event per HTTP POST. Zoom puts no event id in the body (nor a documented one in the headers): a retry resends the event, so the idempotency key has to be derived from the content. Every example of Zoom's document and every captured delivery carries all three fields; Zoom's own schemas forget to require `event_ts` in `meeting.deleted`, `meeting.converted_to_webinar` and `webinar.converted_to_meeting`, and require nothing at all in the three `user.tsp_*` events. The URL validation request (`endpoint.url_validation`, with `payload.plainToken`) shares this shape but is a handshake, not an event.",
  type: "object",
  properties: {
    event: { type: "string", description: "The event type, e.g. `meeting.participant_joined`: decides the shape of `payload`." },
    event_ts: {
      type: "integer",
      description: "When the event happened, in Unix epoch milliseconds (e.g. `1626230691572`). Zoom's docs suggest comparing it with the time of delivery to measure webhook latency.",
    },
    payload: { $ref: "payload.schema.json" },
  },
  required: ["event", "event_ts", "payload"],
});
write("common/payload.schema.json", {
  $schema: dialect,
  $id: `${idBase}common/payload.schema.json`,
  title: "Zoom webhook payload",
  description:
    "The `payload` of every Zoom Meetings event: the account the event belongs to and the object it is about. Most events add who caused it (`operator`, `operator_id`).",
  type: "object",
  properties: {
    account_id: {
      type: "string",
      description: "Id of the Zoom account the event belongs to (the account of the meeting's host, of the user, or of the recording). Required by Zoom's schema in every event but two and sent in every example.",
    },
    object: { type: "object", description: "The object the event is about; its shape depends on the event." },
  },
  required: ["account_id", "object"],
});

for (const { part, properties, required } of parts.values()) {
  // Shared files refer to their siblings by file name.
  const schema = order({
    $schema: dialect,
    $id: `${idBase}common/${part.file}.schema.json`,
    title: part.title,
    description: part.description,
    type: "object",
    properties: JSON.parse(JSON.stringify(properties).replaceAll('"common/', '"')),
    ...(required.length ? { required } : {}),
  });
  write(`common/${part.file}.schema.json`, schema);
}

for (const [event, { converted, examples, meta }] of drafts) {
  const payload = converted.properties.payload;
  const { properties: payloadProperties = {}, required: payloadRequired = [] } = payload;
  const { account_id, ...rest } = payloadProperties;
  const schema = order({
    $schema: dialect,
    $id: `${idBase}${event}.schema.json`,
    title: meta.title,
    description: meta.description,
    type: "object",
    allOf: [{ $ref: "common/envelope.schema.json" }],
    properties: {
      event: { const: event },
      ...Object.fromEntries(Object.entries(converted.properties).filter(([k]) => !["event", "event_ts", "payload"].includes(k))),
      payload: order({
        description: payload.description,
        type: "object",
        allOf: [{ $ref: "common/payload.schema.json" }],
        properties: rest,
        required: payloadRequired.filter((k) => k !== "account_id"),
      }),
    },
    required: ["event", "payload", ...(converted.required ?? []).filter((k) => !["event", "event_ts", "payload"].includes(k))],
    examples,
  });
  if (schema.properties.payload.required.length === 0) delete schema.properties.payload.required;
  for (const [pointer, value] of Object.entries(meta.patches ?? {})) patch(schema, pointer, value);
  write(`${event}.schema.json`, schema);
}
writeFileSync(path.join(outDir, "draft-notes.json"), `${JSON.stringify(notes, null, 2)}\n`);
console.log(`${drafts.size} events, ${parts.size} shared parts written to ${outDir}`);
