import type { ProviderModel } from "../model.js";

/** One name the package exports: where it comes from, in which entries, and its line in the README's API reference. */
export interface ApiEntry {
  readonly name: string;
  /** The runtime module that declares it (`core/trigger`), or the generated file (`providers`, `node`). */
  readonly from: string;
  readonly type: boolean;
  /** `web`: every entry; `node`: the Node entry only. */
  readonly entry: "web" | "node";
  readonly line: string;
}

const value = (from: string, name: string, line: string, entry: "web" | "node" = "web"): ApiEntry => ({ name, from, type: false, entry, line });
const type = (from: string, name: string, line: string, entry: "web" | "node" = "web"): ApiEntry => ({ name, from, type: true, entry, line });

/**
 * The runtime's public API: every name the main entry exports besides the providers' own, each
 * with its line of the API reference. Nothing else of the runtime is exported (its other
 * modules serve these); a test compares this list with the package's declarations.
 */
export const runtimeApi: readonly ApiEntry[] = [
  value("providers", "parseDelivery", "`parseDelivery(provider, request)`: decodes and validates a raw delivery; the usable events (and `skipped`), or an error with a stable `code`. Never throws."),
  value("providers", "verifyDeliveryAsync", "`verifyDeliveryAsync(provider, request, options)`: checks a raw delivery's signature, checksum, token or JWT with Web Crypto, on any runtime. Never rejects on a request."),
  value("node", "verifyDelivery", "`verifyDelivery(provider, request, options)`: the same, synchronously with `node:crypto` (Node entry).", "node"),
  value("providers", "signDelivery", "`signDelivery(provider, events, options)`: a raw request wrapping and signing events as the provider does, to test a receiver."),
  value("providers", "signBody", "`signBody(provider, body, options)`: a raw request signing a body you wrote (an invalid or undocumented event)."),
  value("providers", "answerHandshake", "`answerHandshake(provider, request, options)`: for a server of your own, the response to a handshake (a URL validation, a creation check), or `undefined` for a delivery."),
  value("providers", "createTrigger", "`createTrigger({ provider, … })`: the matcher registry of any provider, served by `trigger.fetch` (on Node, also a `node:http` server)."),
  value("providers", "providers", "`providers`: every provider's definition (its `provider.json` as data, its event types and validators), by name."),
  type("providers", "Provider", "`Provider`: the name of a provider."),
  type("providers", "ProviderTypes", "`ProviderTypes`: each provider's event map, matcher registry, verify options and sign options."),
  type("providers", "ParsedEvent", "`ParsedEvent<P>`: a validated event with its `provider`, `type`, idempotency `key`, `event` and `envelope`."),
  value("core/trigger", "Trigger", "`Trigger`: a trigger on Web APIs: `fetch`, `handleDelivery`, `stop`, `stopping`, `on` / `once` / `off`."),
  value("node/trigger", "NodeTrigger", "`NodeTrigger`: a trigger served over `node:http`: also `start`, `server`, `middleware` (Node entry).", "node"),
  type("core/trigger", "TriggerOptions", "`TriggerOptions<Registry, Parsed, Verify>`: what a trigger takes (see the table of options)."),
  type("core/trigger", "TriggerSettings", "`TriggerSettings<Registry, Parsed>`: the options every trigger takes, whatever its provider."),
  type("node/trigger", "NodeTriggerOptions", "`NodeTriggerOptions`: `TriggerOptions` and the Node server's (Node entry).", "node"),
  type("node/trigger", "NodeServerOptions", "`NodeServerOptions`: `port`, `host` and the server's timeouts (Node entry).", "node"),
  type("node/trigger", "NodeServer", "`NodeServer`: what the declarations say of `trigger.server`, Node's `http.Server` (Node entry).", "node"),
  type("node/trigger", "NodeAddress", "`NodeAddress`: where a started trigger listens, Node's `AddressInfo` (Node entry).", "node"),
  type("node/trigger", "NodeRequest", "`NodeRequest`: the request `middleware` takes, Node's `IncomingMessage` (Node entry).", "node"),
  type("node/trigger", "NodeResponse", "`NodeResponse`: the response `middleware` writes, Node's `ServerResponse` (Node entry).", "node"),
  type("core/trigger", "TriggerEvents", "`TriggerEvents<Parsed>`: the events a trigger emits: `trigger_event_success`."),
  value("core/trigger", "TRIGGER_EVENT_SUCCESS", "`TRIGGER_EVENT_SUCCESS`: `\"trigger_event_success\"`, emitted with the parsed event when its matcher returns `true`."),
  value("core/trigger", "DeliveryRefusedError", "`DeliveryRefusedError`: what `onError` gets for a refused request (401, 400, 413), with its `status` and `delivery` error."),
  type("core/trigger", "DeliveryResponse", "`DeliveryResponse`: `{ status, headers, body }`, what `handleDelivery` and `answerHandshake` give."),
  type("core/trigger", "StopOptions", "`StopOptions`: `{ timeoutMs }` for `stop()`."),
  value("core/dedupe", "createMemoryDedupeStore", "`createMemoryDedupeStore({ maxKeys })`: the default dedupe store, in this process's memory."),
  value("core/dedupe", "createRedisDedupeStore", "`createRedisDedupeStore(client, { prefix })`: a dedupe store shared by every receiver, on your node-redis or ioredis client."),
  type("core/dedupe", "DedupeStore", "`DedupeStore`: `claim`, `release`, and optionally `complete` and `state`: a store of your own."),
  type("core/dedupe", "MemoryDedupeStoreOptions", "`MemoryDedupeStoreOptions`: `{ maxKeys }`."),
  type("core/dedupe", "RedisLikeClient", "`RedisLikeClient`: the parts of a Redis client the Redis store uses."),
  type("core/delivery", "DeliveryRequest", "`DeliveryRequest`: one raw request: `method`, `url` (path and query), `headers`, `body` (the raw string or bytes)."),
  type("core/delivery", "DeliveryResult", "`DeliveryResult<Parsed>`: what `parseDelivery` gives."),
  type("core/delivery", "DeliveryError", "`DeliveryError`: an error with a stable `code`, narrowed by it to the fields that code carries."),
  type("core/delivery", "DeliveryErrorCode", "`DeliveryErrorCode`: the codes of a `DeliveryError`."),
  type("core/delivery", "ParsedEventOf", "`ParsedEventOf<Name, EventMap>`: a validated event of one provider (see `ParsedEvent`)."),
  type("core/provider", "ProviderDefinition", "`ProviderDefinition`: a provider's definition, the type of `providers` and of `<provider>Provider`."),
  type("core/provider", "HashAlgorithm", "`HashAlgorithm`: `\"sha1\" | \"sha256\" | \"sha384\" | \"sha512\"`."),
  type("core/signatures", "VerifyOptions", "`VerifyOptions`: `secret`, `toleranceSeconds`, `now`; each provider's own options extend it (`<Provider>VerifyOptions`)."),
  type("core/signatures", "VerifyResult", "`VerifyResult`: `{ ok: true }` or `{ ok: false, error }` (`signature` or `stale`)."),
  type("core/signing", "SignOptions", "`SignOptions`: `secret`, `at`, `path`; each provider's own options extend it (`<Provider>SignOptions`)."),
  type("core/signing", "SignedRequest", "`SignedRequest`: a signed raw request: `method`, `url`, `headers`, `body`."),
  type("core/matchers", "Matcher", "`Matcher<Event>`: a slot of a matcher registry: returns `true` (or a promise of it) to trigger."),
  type("core/matchers", "Answerer", "`Answerer<Event, Answer>`: the slot of an event whose answer carries data: returns the answer, or `false`."),
  type("core/validation", "Validator", "`Validator<T>`: a validator: called, `{ ok, value }` or `{ ok: false, issues }`; `.is(value)`, a type guard; `[\"~standard\"]`, a Standard Schema."),
  type("core/validation", "ValidationResult", "`ValidationResult<T>`: what a validator returns."),
  type("core/validation", "ValidationIssue", "`ValidationIssue`: `{ pointer, message, keyword }`."),
  value("core/validation", "formatIssue", "`formatIssue(issue)`: an issue as one line: `/data/roleName: must be one of …`."),
  type("core/standard-schema", "StandardSchemaV1", "`StandardSchemaV1`: the Standard Schema interface every validator implements."),
  value("providers", "createConsumer", "`createConsumer({ provider, webhookTriggers, dedupe })`: runs the matchers of events a trigger handed to a queue, once each (`handle(message)` rejects when a matcher fails, so the queue retries)."),
  value("core/consumer", "Consumer", "`Consumer`: a consumer of queued events: `handle(message)`, `on` / `once` / `off`."),
  type("core/consumer", "ConsumerOptions", "`ConsumerOptions<Registry, Message>`: what a consumer takes: `webhookTriggers`, `dedupe`, `dedupeTtlMs`, `leaseMs`, `onError`."),
  type("core/queue", "QueuedEvent", "`QueuedEvent`: the message a trigger with `queue` sends per event: `{ provider, type, key, event, envelope?, receivedAt }`."),
  type("core/queue", "QueueMessage", "`QueueMessage<Parsed>`: the same, typed by the provider's events."),
  type("core/queue", "EventQueue", "`EventQueue`: `{ send(message) }`, what the `queue` option takes: a queue of your own, or one of the adapters."),
  value("core/queue", "createCloudflareQueue", "`createCloudflareQueue(binding, { delaySeconds })`: a Cloudflare Queues producer binding as an `EventQueue`."),
  type("core/queue", "CloudflareQueueBinding", "`CloudflareQueueBinding`: the parts of a Queues producer binding the adapter uses."),
  type("core/queue", "CloudflareQueueOptions", "`CloudflareQueueOptions`: `{ delaySeconds }`."),
  value("node/bullmq", "createBullMQQueue", "`createBullMQQueue(queue, { jobOptions })`: a BullMQ `Queue` as an `EventQueue`; the job id is the event's idempotency key (Node entry).", "node"),
  value("node/bullmq", "bullMQJobId", "`bullMQJobId(provider, key)`: the job id `createBullMQQueue` gives an event (Node entry).", "node"),
  type("node/bullmq", "BullMQQueueLike", "`BullMQQueueLike`: the parts of a BullMQ `Queue` the adapter uses (Node entry).", "node"),
  type("node/bullmq", "BullMQQueueOptions", "`BullMQQueueOptions`: `{ jobOptions }` (Node entry).", "node"),
];

/** The names each provider exports, with their lines of the API reference. */
export function providerApi(provider: ProviderModel): { readonly name: string; readonly line: string }[] {
  const p = provider.manifest.typePrefix;
  const v = provider.valuePrefix;
  const title = provider.manifest.title;
  const lines: { name: string; line: string }[] = [
    { name: `parse${p}Delivery`, line: `\`parse${p}Delivery(request)\`: \`parseDelivery\` for ${title}.` },
    { name: `verify${p}Delivery`, line: `\`verify${p}Delivery(request, options)\`: \`verifyDelivery\` for ${title} (Node entry).` },
    { name: `verify${p}DeliveryAsync`, line: `\`verify${p}DeliveryAsync(request, options)\`: \`verifyDeliveryAsync\` for ${title}.` },
    { name: `sign${p}Delivery`, line: `\`sign${p}Delivery(events, options)\`: \`signDelivery\` for ${title}.` },
    { name: `sign${p}Body`, line: `\`sign${p}Body(body, options)\`: \`signBody\` for ${title}.` },
    { name: `create${p}Trigger`, line: `\`create${p}Trigger(options)\`: \`createTrigger\` for ${title}.` },
    { name: `create${p}Consumer`, line: `\`create${p}Consumer(options)\`: \`createConsumer\` for ${title}.` },
    { name: `create${p}WebhookTriggers`, line: `\`create${p}WebhookTriggers(triggers)\`: a full registry, \`() => false\` in every slot left out; throws on an unknown event type.` },
    { name: `${v}Provider`, line: `\`${v}Provider\`: ${title}'s definition, from its provider.json.` },
    { name: `${p}VerifyOptions`, line: `\`${p}VerifyOptions\`, \`${p}SignOptions\`: the options of its verifiers and signers, its own included.` },
    { name: `${p}SignOptions`, line: "" },
    { name: `${p}ParsedEvent`, line: `\`${p}ParsedEvent\`: a validated ${title} event with its type and key.` },
    { name: `${p}WebhookTriggers`, line: `\`${p}WebhookTriggers\`: its matcher registry, a slot per event type.` },
    { name: `${p}Event`, line: `\`${p}Event\`, \`${p}EventMap\`, \`${p}EventType\`, \`${v}EventTypes\`: the union of its events, the interface of each by type, the names of the types.` },
    { name: `${p}EventMap`, line: "" },
    { name: `${p}EventType`, line: "" },
    { name: `${v}EventTypes`, line: "" },
    { name: `validate${p}Event`, line: `\`validate${p}Event\`, \`is${p}Event\`, \`${v}Validators\`: any ${title} event's validator and guard, each event type's validator.` },
    { name: `is${p}Event`, line: "" },
    { name: `${v}Validators`, line: "" },
    { name: `validate${p}<Type>Event`, line: `\`${p}<Type>Event\`, \`validate${p}<Type>Event\`, \`is${p}<Type>Event\`: per event type (below), its interface, validator and guard; \`${p}<Part>\`: a shared part's interface.` },
  ];
  if (provider.manifest.handshakes?.length) lines.push({ name: `answer${p}Handshake`, line: `\`answer${p}Handshake(request, options)\`: \`answerHandshake\` for ${title}.` });
  if (provider.answers.length > 0) {
    lines.push(
      { name: `answer${p}Event`, line: `\`answer${p}Event(type, answer)\`: for a server of your own, the checked response carrying an answer (${provider.answers.map((a) => `\`${a.type}\``).join(", ")}).` },
      { name: `${p}AnswerMap`, line: `\`${p}AnswerMap\`, \`${v}AnswerValidators\`, \`${p}<Type>Answer\`, \`validate${p}<Type>Answer\`: the answers that carry data, their interfaces and validators.` },
      { name: `${v}AnswerValidators`, line: "" },
    );
  }
  if (provider.manifest.aliases) lines.push({ name: "aliases", line: `Type aliases with ${provider.manifest.aliases.from}'s names: ${Object.keys(provider.manifest.aliases.types).map((n) => `\`${n}\``).join(", ")}.` });
  return lines;
}

/** Every name a provider exports, for the test that compares the reference with the declarations. */
export function providerExports(provider: ProviderModel): string[] {
  const p = provider.manifest.typePrefix;
  const names = providerApi(provider).map((entry) => entry.name).filter((name) => !name.includes("<") && name !== "aliases");
  for (const model of [...provider.events, ...provider.answers]) names.push(model.typeName, `validate${model.typeName}`);
  for (const event of provider.events) names.push(`is${event.typeName}`);
  for (const shared of provider.shared) names.push(shared.typeName);
  names.push(...Object.keys(provider.manifest.aliases?.types ?? {}));
  return [...new Set(names)].filter((name) => name !== `${p}<Type>Event`);
}
