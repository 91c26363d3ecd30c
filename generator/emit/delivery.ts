import type { Project, SourceFile } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, createSource, docs, exportConst, quote } from "./source.js";

const unknownProvider = "if (!Object.hasOwn(providers, provider)) return { ok: false, error: { code: \"unknown_provider\", message: `unknown provider ${JSON.stringify(provider)}` } };";

/**
 * Per provider, `<provider>/delivery.ts`: its definition for the runtime and its typed entry
 * points on Web APIs (`parse…Delivery`, `verify…DeliveryAsync`, `create…Trigger`), and
 * `<provider>/node.ts`: the Node adapter's (`verify…Delivery`, `create…Trigger` with a server).
 * `providers.ts` and `node.ts`: the same, keyed by provider name.
 */
export function emitDelivery(providers: readonly ProviderModel[], project: Project): void {
  for (const provider of providers) {
    emitProviderDelivery(provider, project);
    emitProviderNode(provider, project);
  }
  emitProviders(providers, project);
  emitNode(project);
}

function emitProviders(providers: readonly ProviderModel[], project: Project): void {
  const file = createSource(project, "providers.ts");
  addImport(file, "./runtime/core/delivery.js", ["parseWith"]);
  addImport(file, "./runtime/core/delivery.js", ["DeliveryRequest", "DeliveryResult", "ParsedEventOf", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "./runtime/core/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "./runtime/core/trigger.js", ["Trigger"]);
  addImport(file, "./runtime/core/trigger.js", ["TriggerOptions"], { typeOnly: true });
  addImport(file, "./runtime/core/webcrypto.js", ["verifyWithWebCrypto"]);
  addImport(file, "./runtime/core/signing.js", ["signWith"]);
  addImport(file, "./runtime/core/signing.js", ["SignedRequest", "SignOptions"], { typeOnly: true });
  for (const provider of providers) {
    const prefix = provider.manifest.typePrefix;
    addImport(file, `./${provider.name}/delivery.js`, [`${provider.valuePrefix}Provider`]);
    addImport(file, `./${provider.name}/web.js`, [`${prefix}EventMap`, `${prefix}WebhookTriggers`], { typeOnly: true });
  }
  file.addStatements(exportConst({
    name: "providers",
    docs: "Every provider's definition: envelope, signature scheme, discriminant and validators.",
    entries: providers.map((p) => [p.name, `${p.valuePrefix}Provider`]),
  }));
  file.addTypeAlias({ leadingTrivia: "\n", isExported: true, name: "Provider", type: "keyof typeof providers", docs: docs("The name of a provider: " + providers.map((p) => `\`${p.name}\``).join(", ") + ".") });
  file.addInterface({
    leadingTrivia: "\n",
    isExported: true,
    name: "ProviderTypes",
    docs: docs("The event map and matcher registry of each provider."),
    properties: providers.map((p) => ({ name: p.name, type: `{ events: ${p.manifest.typePrefix}EventMap; triggers: ${p.manifest.typePrefix}WebhookTriggers }` })),
  });
  file.addTypeAlias({
    leadingTrivia: "\n",
    isExported: true,
    name: "ParsedEvent",
    typeParameters: [{ name: "P", constraint: "Provider", default: "Provider" }],
    type: "{ [Name in P]: ParsedEventOf<Name, ProviderTypes[Name][\"events\"]> }[P]",
    docs: docs("A validated event of provider `P`, with its provider, type and idempotency key; narrow it with `provider` and `type`."),
  });
  addFunction(file, {
    name: "parseDelivery",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "request", type: "DeliveryRequest" }],
    returnType: "DeliveryResult<ParsedEvent<P>>",
    statements: [unknownProvider, "return parseWith(providers[provider] as ProviderDefinition, request) as DeliveryResult<ParsedEvent<P>>;"],
    docs: docs(
      "Decodes a raw delivery of `provider` (its envelope, iotum's payload string, BigBlueButton's form) and validates every event in it. Never throws: the result is the events, each with its idempotency `key`, or an error with a stable `code`.",
      "Verify it first, on the same request: `verifyDelivery` (Node, synchronous) or `verifyDeliveryAsync` (any runtime).",
    ),
  });
  addFunction(file, {
    name: "verifyDeliveryAsync",
    isAsync: true,
    parameters: [{ name: "provider", type: "Provider" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "Promise<VerifyResult>",
    statements: [unknownProvider, "return verifyWithWebCrypto(providers[provider], request, options);"],
    docs: docs("Checks the signature, checksum or token of a raw delivery of `provider` with Web Crypto, on any runtime, before any parsing. Never rejects. On Node, the synchronous `verifyDelivery` is faster."),
  });
  addFunction(file, {
    name: "signDelivery",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "events", type: "ProviderTypes[P][\"events\"][keyof ProviderTypes[P][\"events\"]] | readonly ProviderTypes[P][\"events\"][keyof ProviderTypes[P][\"events\"]][]" }, { name: "options", type: "SignOptions" }],
    returnType: "Promise<SignedRequest>",
    statements: [
      "if (!Object.hasOwn(providers, provider)) throw new TypeError(`signDelivery: unknown provider ${JSON.stringify(provider)}`);",
      "return signWith(providers[provider], events, options);",
    ],
    docs: docs("Wraps events in `provider`'s envelope and signs them as the provider does: a raw request for testing your own receiver (`handleDelivery`, `fetch`, or over HTTP). Only BigBlueButton takes several events."),
  });
  addFunction(file, {
    name: "createTrigger",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "TriggerOptions<ProviderTypes[P][\"triggers\"], ParsedEvent<P>> & { readonly provider: P }" }],
    returnType: "Trigger<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options?.provider)) throw new TypeError(`createTrigger: unknown provider ${JSON.stringify(options?.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new Trigger<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options);",
    ],
    docs: docs("The matcher registry of `options.provider` on Web APIs: serve it with `trigger.fetch` (workers, Deno, Bun, Next.js, Hono). On Node, the same import gives a `node:http` server too."),
  });
}

function emitNode(project: Project): void {
  const file = createSource(project, "node.ts");
  addImport(file, "./providers.js", ["providers"]);
  addImport(file, "./providers.js", ["ParsedEvent", "Provider", "ProviderTypes"], { typeOnly: true });
  addImport(file, "./runtime/core/delivery.js", ["DeliveryRequest", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "./runtime/core/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "./runtime/node/trigger.js", ["NodeTrigger"]);
  addImport(file, "./runtime/node/trigger.js", ["NodeTriggerOptions"], { typeOnly: true });
  addImport(file, "./runtime/node/verify.js", ["verifyWith"]);
  addFunction(file, {
    name: "verifyDelivery",
    parameters: [{ name: "provider", type: "Provider" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "VerifyResult",
    statements: [unknownProvider, "return verifyWith(providers[provider], request, options);"],
    docs: docs("Checks the signature, checksum or token of a raw delivery of `provider`, synchronously with `node:crypto`, before any parsing. Never throws. Elsewhere, use `verifyDeliveryAsync`."),
  });
  addFunction(file, {
    name: "createTrigger",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "NodeTriggerOptions<ProviderTypes[P][\"triggers\"], ParsedEvent<P>> & { readonly provider: P }" }],
    returnType: "NodeTrigger<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options?.provider)) throw new TypeError(`createTrigger: unknown provider ${JSON.stringify(options?.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new NodeTrigger<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options);",
    ],
    docs: docs("The matcher registry of `options.provider`, served over node:http: `start()` listens (port 8080 by default), `stop()` drains; `fetch` and `middleware` serve it elsewhere."),
  });
}

function emitProviderDelivery(provider: ProviderModel, project: Project): void {
  const prefix = provider.manifest.typePrefix;
  const title = provider.manifest.title;
  const file = createSource(project, `${provider.name}/delivery.ts`);
  addImport(file, "../runtime/core/delivery.js", ["parseWith"]);
  addImport(file, "../runtime/core/delivery.js", ["DeliveryRequest", "DeliveryResult", "ParsedEventOf", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "../runtime/core/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "../runtime/core/trigger.js", ["createTriggerWith"]);
  addImport(file, "../runtime/core/trigger.js", ["Trigger", "TriggerOptions"], { typeOnly: true });
  addImport(file, "../runtime/core/webcrypto.js", ["verifyWithWebCrypto"]);
  addImport(file, "../runtime/core/signing.js", ["signWith"]);
  addImport(file, "../runtime/core/signing.js", ["SignedRequest", "SignOptions"], { typeOnly: true });
  addImport(file, "./triggers.js", [`${prefix}WebhookTriggers`], { typeOnly: true });
  addImport(file, "./types.js", [`${provider.valuePrefix}EventTypes`]);
  addImport(file, "./types.js", [`${prefix}Event`, `${prefix}EventMap`], { typeOnly: true });
  addImport(file, "./validators.js", [`${provider.valuePrefix}Validators`]);
  const parsed = `${prefix}ParsedEvent`;
  const eventId = provider.manifest.eventId;
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}Provider`,
    type: `ProviderDefinition<${quote(provider.name)}, ${prefix}EventMap>`,
    docs: `How ${title} delivers webhooks: envelope \`${provider.manifest.envelope}\`, authentication \`${provider.manifest.signature}\`, event type at \`${provider.manifest.discriminant}\`${eventId ? `, event id at \`${eventId}\`` : ""}.`,
    entries: [
      ["name", quote(provider.name)],
      ["title", quote(title)],
      ["envelope", quote(provider.manifest.envelope)],
      ["signature", quote(provider.manifest.signature)],
      ["discriminant", JSON.stringify(provider.discriminant)],
      ...(eventId ? [["eventId", JSON.stringify(eventId.split("/").slice(1))] as const] : []),
      ["eventTypes", `${provider.valuePrefix}EventTypes`],
      ["validators", `${provider.valuePrefix}Validators`],
    ],
  }));
  file.addTypeAlias({
    leadingTrivia: "\n",
    isExported: true,
    name: parsed,
    type: `ParsedEventOf<${quote(provider.name)}, ${prefix}EventMap>`,
    docs: docs(`A validated ${title} event with its type and idempotency key; narrow it with \`type\`.`),
  });
  addFunction(file, {
    name: `parse${prefix}Delivery`,
    parameters: [{ name: "request", type: "DeliveryRequest" }],
    returnType: `DeliveryResult<${parsed}>`,
    statements: `return parseWith(${provider.valuePrefix}Provider, request);`,
    docs: docs(`Decodes and validates a raw ${title} delivery. Never throws. Verify it first: \`verify${prefix}Delivery\` (Node) or \`verify${prefix}DeliveryAsync\`.`),
  });
  addFunction(file, {
    name: `verify${prefix}DeliveryAsync`,
    parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "Promise<VerifyResult>",
    statements: `return verifyWithWebCrypto(${provider.valuePrefix}Provider, request, options);`,
    docs: docs(`Checks that a raw delivery comes from ${title} (\`${provider.manifest.signature}\`) with Web Crypto, on any runtime, before any parsing. Never rejects.`),
  });
  addFunction(file, {
    name: `sign${prefix}Delivery`,
    parameters: [{ name: "events", type: provider.manifest.envelope === "form-event-array" ? `${prefix}Event | readonly ${prefix}Event[]` : `${prefix}Event` }, { name: "options", type: "SignOptions" }],
    returnType: "Promise<SignedRequest>",
    statements: `return signWith(${provider.valuePrefix}Provider, events, options);`,
    docs: docs(`Wraps ${provider.manifest.envelope === "form-event-array" ? "events" : "an event"} in ${title}'s envelope and signs ${provider.manifest.envelope === "form-event-array" ? "them" : "it"} as ${title} does (\`${provider.manifest.signature}\`): a raw request for testing your own receiver.`),
  });
  addFunction(file, {
    name: `create${prefix}Trigger`,
    parameters: [{ name: "options", type: `TriggerOptions<${prefix}WebhookTriggers, ${parsed}>` }],
    returnType: `Trigger<${parsed}>`,
    statements: `return createTriggerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The ${title} matcher registry on Web APIs: serve it with \`trigger.fetch\`. On Node, the same import gives a \`node:http\` server too.`),
  });
}

function emitProviderNode(provider: ProviderModel, project: Project): void {
  const prefix = provider.manifest.typePrefix;
  const title = provider.manifest.title;
  const parsed = `${prefix}ParsedEvent`;
  const file = createSource(project, `${provider.name}/node.ts`);
  addImport(file, "../runtime/core/delivery.js", ["DeliveryRequest"], { typeOnly: true });
  addImport(file, "../runtime/core/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "../runtime/node/trigger.js", ["createNodeTriggerWith"]);
  addImport(file, "../runtime/node/trigger.js", ["NodeTrigger", "NodeTriggerOptions"], { typeOnly: true });
  addImport(file, "../runtime/node/verify.js", ["verifyWith"]);
  addImport(file, "./delivery.js", [`${provider.valuePrefix}Provider`]);
  addImport(file, "./delivery.js", [parsed], { typeOnly: true });
  addImport(file, "./triggers.js", [`${prefix}WebhookTriggers`], { typeOnly: true });
  addFunction(file, {
    name: `verify${prefix}Delivery`,
    parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "VerifyResult",
    statements: `return verifyWith(${provider.valuePrefix}Provider, request, options);`,
    docs: docs(`Checks that a raw delivery comes from ${title} (\`${provider.manifest.signature}\`), synchronously with \`node:crypto\`, before any parsing. Never throws.`),
  });
  addFunction(file, {
    name: `create${prefix}Trigger`,
    parameters: [{ name: "options", type: `NodeTriggerOptions<${prefix}WebhookTriggers, ${parsed}>` }],
    returnType: `NodeTrigger<${parsed}>`,
    statements: `return createNodeTriggerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The ${title} matcher registry, served over node:http: \`start()\` listens (port 8080 by default), \`stop()\` drains; \`fetch\` and \`middleware\` serve it elsewhere.`),
  });
}

function addFunction(file: SourceFile, structure: Parameters<SourceFile["addFunction"]>[0]): void {
  file.addFunction({ leadingTrivia: "\n", isExported: true, ...structure });
}
