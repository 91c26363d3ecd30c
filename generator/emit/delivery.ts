import type { Project, SourceFile } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { describeAuthentication, describeEnvelope } from "../describe.js";
import type { MechanismSpec, OptionSpec, PartSpec } from "../runtime/core/provider.js";
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
  addImport(file, "./runtime/core/signatures.js", ["VerifyResult"], { typeOnly: true });
  addImport(file, "./runtime/core/trigger.js", ["Trigger"]);
  addImport(file, "./runtime/core/trigger.js", ["TriggerOptions"], { typeOnly: true });
  addImport(file, "./runtime/core/consumer.js", ["Consumer"]);
  addImport(file, "./runtime/core/consumer.js", ["ConsumerOptions"], { typeOnly: true });
  addImport(file, "./runtime/core/queue.js", ["QueueMessage"], { typeOnly: true });
  addImport(file, "./runtime/core/webcrypto.js", ["verifyWithWebCrypto"]);
  addImport(file, "./runtime/core/signing.js", ["signBodyWith", "signWith"]);
  addImport(file, "./runtime/core/handshakes.js", ["answerHandshakeWith"]);
  addImport(file, "./runtime/core/answers.js", ["DeliveryResponse"], { typeOnly: true });
  addImport(file, "./runtime/core/signing.js", ["SignedRequest"], { typeOnly: true });
  for (const provider of providers) {
    const prefix = provider.manifest.typePrefix;
    addImport(file, `./${provider.name}/delivery.js`, [`${provider.valuePrefix}Provider`]);
    addImport(file, `./${provider.name}/web.js`, [`${prefix}EventMap`, `${prefix}WebhookTriggers`, ...Object.values(optionTypeNames(provider))], { typeOnly: true });
  }
  file.addStatements(exportConst({
    name: "providers",
    docs: "Every provider's definition: envelope, authentication, handshakes and validators.",
    entries: providers.map((p) => [propertyName(p.name), `${p.valuePrefix}Provider`]),
  }));
  file.addTypeAlias({ leadingTrivia: "\n", isExported: true, name: "Provider", type: "keyof typeof providers", docs: docs("The name of a provider: " + providers.map((p) => `\`${p.name}\``).join(", ") + ".") });
  file.addInterface({
    leadingTrivia: "\n",
    isExported: true,
    name: "ProviderTypes",
    docs: docs("The event map, matcher registry and options of each provider."),
    properties: providers.map((p) => ({ name: propertyName(p.name), type: `{ events: ${p.manifest.typePrefix}EventMap; triggers: ${p.manifest.typePrefix}WebhookTriggers; verifyOptions: ${optionTypeNames(p).verify}; signOptions: ${optionTypeNames(p).sign} }` })),
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
      "Decodes a raw delivery of `provider` (its envelope: JSON, a form, JSON strings inside JSON) and validates every event in it. Never throws: the result is the events, each with its idempotency `key`, or an error with a stable `code`.",
      "Verify it first, on the same request: `verifyDelivery` (Node, synchronous) or `verifyDeliveryAsync` (any runtime).",
    ),
  });
  addFunction(file, {
    name: "verifyDeliveryAsync",
    isAsync: true,
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "ProviderTypes[P][\"verifyOptions\"]" }],
    returnType: "Promise<VerifyResult>",
    statements: [unknownProvider, "return verifyWithWebCrypto(providers[provider], request, options);"],
    docs: docs("Checks the signature, checksum or token of a raw delivery of `provider` with Web Crypto, on any runtime, before any parsing. Never rejects. On Node, the synchronous `verifyDelivery` is faster."),
  });
  addFunction(file, {
    name: "signDelivery",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "events", type: "ProviderTypes[P][\"events\"][keyof ProviderTypes[P][\"events\"]] | readonly ProviderTypes[P][\"events\"][keyof ProviderTypes[P][\"events\"]][]" }, { name: "options", type: "ProviderTypes[P][\"signOptions\"]" }],
    returnType: "Promise<SignedRequest>",
    statements: [
      "if (!Object.hasOwn(providers, provider)) throw new TypeError(`signDelivery: unknown provider ${JSON.stringify(provider)}`);",
      "return signWith(providers[provider], events, options);",
    ],
    docs: docs("Wraps events in `provider`'s envelope and signs them as the provider does: a raw request for testing your own receiver (`handleDelivery`, `fetch`, or over HTTP). Only providers that batch events take several."),
  });
  addFunction(file, {
    name: "answerHandshake",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "ProviderTypes[P][\"verifyOptions\"]" }],
    returnType: "Promise<DeliveryResponse | undefined>",
    statements: [
      "if (!Object.hasOwn(providers, provider)) return Promise.resolve(undefined);",
      "return answerHandshakeWith(providers[provider] as ProviderDefinition, request, options);",
    ],
    docs: docs("For a server of your own: when `request` is one of `provider`'s handshakes (a creation check, a URL validation), the response to send (401 when it is not authentic); `undefined` when it is a delivery to verify and parse. Never rejects."),
  });
  addFunction(file, {
    name: "signBody",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "body", type: "string" }, { name: "options", type: "ProviderTypes[P][\"signOptions\"]" }],
    returnType: "Promise<SignedRequest>",
    statements: [
      "if (!Object.hasOwn(providers, provider)) throw new TypeError(`signBody: unknown provider ${JSON.stringify(provider)}`);",
      "return signBodyWith(providers[provider], body, options);",
    ],
    docs: docs("Signs a body you wrote yourself (an invalid or undocumented event) as `provider` signs deliveries: for testing how your receiver answers it."),
  });
  addFunction(file, {
    name: "createTrigger",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "TriggerOptions<ProviderTypes[P][\"triggers\"], ParsedEvent<P>, ProviderTypes[P][\"verifyOptions\"]> & { readonly provider: P }" }],
    returnType: "Trigger<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options?.provider)) throw new TypeError(`createTrigger: unknown provider ${JSON.stringify(options?.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new Trigger<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options as TriggerOptions<unknown, ParsedEvent<P>>);",
    ],
    docs: docs("The matcher registry of `options.provider` on Web APIs: serve it with `trigger.fetch` (workers, Deno, Bun, Next.js, Hono). On Node, the same import gives a `node:http` server too."),
  });
  addFunction(file, {
    name: "createConsumer",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "ConsumerOptions<ProviderTypes[P][\"triggers\"], QueueMessage<ParsedEvent<P>>> & { readonly provider: P }" }],
    returnType: "Consumer<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options?.provider)) throw new TypeError(`createConsumer: unknown provider ${JSON.stringify(options?.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new Consumer<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options as ConsumerOptions<unknown, QueueMessage<ParsedEvent<P>>>);",
    ],
    docs: docs("The worker side of `options.provider`'s trigger with `queue`: `handle(message)` runs the matcher of each message the trigger sent, once per event (deduplicated by its key), and rejects when it fails so that the queue retries."),
  });
}

function emitNode(project: Project): void {
  const file = createSource(project, "node.ts");
  addImport(file, "./providers.js", ["providers"]);
  addImport(file, "./providers.js", ["ParsedEvent", "Provider", "ProviderTypes"], { typeOnly: true });
  addImport(file, "./runtime/core/delivery.js", ["DeliveryRequest", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "./runtime/core/signatures.js", ["VerifyResult"], { typeOnly: true });
  addImport(file, "./runtime/node/trigger.js", ["NodeTrigger"]);
  addImport(file, "./runtime/node/trigger.js", ["NodeTriggerOptions"], { typeOnly: true });
  addImport(file, "./runtime/node/verify.js", ["verifyWith"]);
  addFunction(file, {
    name: "verifyDelivery",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "ProviderTypes[P][\"verifyOptions\"]" }],
    returnType: "VerifyResult",
    statements: [unknownProvider, "return verifyWith(providers[provider], request, options);"],
    docs: docs("Checks the signature, checksum or token of a raw delivery of `provider`, synchronously with `node:crypto`, before any parsing. Never throws. Elsewhere, use `verifyDeliveryAsync`."),
  });
  addFunction(file, {
    name: "createTrigger",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "NodeTriggerOptions<ProviderTypes[P][\"triggers\"], ParsedEvent<P>, ProviderTypes[P][\"verifyOptions\"]> & { readonly provider: P }" }],
    returnType: "NodeTrigger<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options?.provider)) throw new TypeError(`createTrigger: unknown provider ${JSON.stringify(options?.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new NodeTrigger<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options as NodeTriggerOptions<unknown, ParsedEvent<P>>);",
    ],
    docs: docs("The matcher registry of `options.provider`, served over node:http: `start()` listens (port 8080 by default), `stop()` drains; `fetch` and `middleware` serve it elsewhere."),
  });
}

function emitProviderDelivery(provider: ProviderModel, project: Project): void {
  const { typePrefix: prefix, title } = provider.manifest;
  const file = createSource(project, `${provider.name}/delivery.ts`);
  addImport(file, "../runtime/core/delivery.js", ["parseWith"]);
  addImport(file, "../runtime/core/delivery.js", ["DeliveryRequest", "DeliveryResult", "ParsedEventOf", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "../runtime/core/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  if (Object.values(provider.manifest.options ?? {}).some((option) => option.type === "hash")) addImport(file, "../runtime/core/provider.js", ["HashAlgorithm"], { typeOnly: true });
  addImport(file, "../runtime/core/trigger.js", ["createTriggerWith"]);
  addImport(file, "../runtime/core/trigger.js", ["Trigger", "TriggerOptions"], { typeOnly: true });
  addImport(file, "../runtime/core/consumer.js", ["createConsumerWith"]);
  addImport(file, "../runtime/core/consumer.js", ["Consumer", "ConsumerOptions"], { typeOnly: true });
  addImport(file, "../runtime/core/queue.js", ["QueueMessage"], { typeOnly: true });
  addImport(file, "../runtime/core/webcrypto.js", ["verifyWithWebCrypto"]);
  addImport(file, "../runtime/core/signing.js", ["signBodyWith", "signWith"]);
  if (provider.answers.length > 0) addImport(file, "../runtime/core/handshakes.js", ["answerWith"]);
  if (provider.answers.length > 0) addImport(file, "./types.js", [`${prefix}AnswerMap`], { typeOnly: true });
  if (provider.answers.length > 0) addImport(file, "../runtime/core/validation.js", ["ValidationIssue"], { typeOnly: true });
  if (provider.answers.length > 0 && !provider.manifest.handshakes?.length) addImport(file, "../runtime/core/answers.js", ["DeliveryResponse"], { typeOnly: true });
  if (provider.manifest.handshakes?.length) {
    addImport(file, "../runtime/core/handshakes.js", ["answerHandshakeWith"]);
    addImport(file, "../runtime/core/answers.js", ["DeliveryResponse"], { typeOnly: true });
  }
  addImport(file, "../runtime/core/signing.js", ["SignedRequest", "SignOptions"], { typeOnly: true });
  addImport(file, "./triggers.js", [`${prefix}WebhookTriggers`], { typeOnly: true });
  addImport(file, "./types.js", [`${provider.valuePrefix}EventTypes`]);
  addImport(file, "./types.js", [`${prefix}Event`, `${prefix}EventMap`], { typeOnly: true });
  addImport(file, "./validators.js", [`${provider.valuePrefix}Validators`, ...(provider.answers.length > 0 ? [`${provider.valuePrefix}AnswerValidators`] : [])]);
  const parsed = `${prefix}ParsedEvent`;
  const names = optionTypeNames(provider);
  for (const kind of ["verify", "sign"] as const) {
    file.addInterface({
      leadingTrivia: "\n",
      isExported: true,
      name: names[kind],
      extends: [kind === "verify" ? "VerifyOptions" : "SignOptions"],
      docs: docs(kind === "verify" ? `How to verify ${title} deliveries: the secret${secretAbout(provider)} and ${title}'s own options.` : `How to sign ${title} deliveries for tests: the secret and ${title}'s own options.`),
      properties: declaredOptions(provider, kind).map(({ name, spec, required }) => ({
        name,
        isReadonly: true,
        hasQuestionToken: !required,
        type: `${optionType(spec.type)}${required ? "" : " | undefined"}`,
        docs: docs(spec.description),
      })),
    });
  }
  const { docs: _docs, aliases: _aliases, $schema: _schema, ...declaration } = provider.manifest as ProviderModel["manifest"] & { $schema?: string };
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}Provider`,
    type: `ProviderDefinition<${quote(provider.name)}, ${prefix}EventMap>`,
    docs: [`How ${title} delivers webhooks, from schemas/${provider.name}/provider.json.`, "", describeEnvelope(provider.manifest), "", "Authentication:", ...describeAuthentication(provider.manifest).map((line) => `- ${line}`)].join("\n"),
    entries: [
      ["name", quote(provider.name)],
      ...Object.entries(declaration).map(([key, value]) => [key, literal(value)] as const),
      ["eventTypes", `${provider.valuePrefix}EventTypes`],
      ["validators", `${provider.valuePrefix}Validators`],
      ...(provider.answers.length > 0 ? [["answerValidators", `${provider.valuePrefix}AnswerValidators`] as const] : []),
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
    parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: names.verify }],
    returnType: "Promise<VerifyResult>",
    statements: `return verifyWithWebCrypto(${provider.valuePrefix}Provider, request, options);`,
    docs: docs(`Checks that a raw delivery comes from ${title} with Web Crypto, on any runtime, before any parsing. Never rejects.`),
  });
  const many = provider.manifest.envelope.events === "array-or-single";
  addFunction(file, {
    name: `sign${prefix}Delivery`,
    parameters: [{ name: "events", type: many ? `${prefix}Event | readonly ${prefix}Event[]` : `${prefix}Event` }, { name: "options", type: names.sign }],
    returnType: "Promise<SignedRequest>",
    statements: `return signWith(${provider.valuePrefix}Provider, events, options);`,
    docs: docs(`Wraps ${many ? "events" : "an event"} in ${title}'s envelope and signs ${many ? "them" : "it"} as ${title} does: a raw request for testing your own receiver.`),
  });
  addFunction(file, {
    name: `sign${prefix}Body`,
    parameters: [{ name: "body", type: "string" }, { name: "options", type: names.sign }],
    returnType: "Promise<SignedRequest>",
    statements: `return signBodyWith(${provider.valuePrefix}Provider, body, options);`,
    docs: docs(`Signs a body you wrote yourself (an invalid or undocumented event) as ${title} signs deliveries: for testing how your receiver answers it.`),
  });
  if (provider.manifest.handshakes?.length) {
    addFunction(file, {
      name: `answer${prefix}Handshake`,
      parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: names.verify }],
      returnType: "Promise<DeliveryResponse | undefined>",
      statements: `return answerHandshakeWith(${provider.valuePrefix}Provider, request, options);`,
      docs: docs(`For a server of your own: when \`request\` is one of ${title}'s handshakes (${provider.manifest.handshakes.map((h) => `\`${h.name}\``).join(", ")}), the response to send (401 when it is not authentic); \`undefined\` when it is a delivery to verify and parse. Never rejects.`),
    });
  }
  if (provider.answers.length > 0) {
    addFunction(file, {
      name: `answer${prefix}Event`,
      typeParameters: [{ name: "Type", constraint: `keyof ${prefix}AnswerMap` }],
      parameters: [{ name: "type", type: "Type" }, { name: "answer", type: `${prefix}AnswerMap[Type]` }],
      returnType: "{ readonly ok: true; readonly response: DeliveryResponse } | { readonly ok: false; readonly issues: readonly ValidationIssue[] }",
      statements: `return answerWith(${provider.valuePrefix}Provider, type, answer);`,
      docs: docs(`For a server of your own: the response that carries \`answer\` to a ${title} event asked for one (${provider.answers.map((a) => `\`${a.type}\``).join(", ")}), once it matches the answer's schema; otherwise the issues, and nothing to send. Never throws.`),
    });
  }
  addFunction(file, {
    name: `create${prefix}Trigger`,
    parameters: [{ name: "options", type: `TriggerOptions<${prefix}WebhookTriggers, ${parsed}, ${names.verify}>` }],
    returnType: `Trigger<${parsed}>`,
    statements: `return createTriggerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The ${title} matcher registry on Web APIs: serve it with \`trigger.fetch\`. On Node, the same import gives a \`node:http\` server too.`),
  });
  addFunction(file, {
    name: `create${prefix}Consumer`,
    parameters: [{ name: "options", type: `ConsumerOptions<${prefix}WebhookTriggers, QueueMessage<${parsed}>>` }],
    returnType: `Consumer<${parsed}>`,
    statements: `return createConsumerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The worker side of a ${title} trigger with \`queue\`: \`handle(message)\` runs the matcher of each message the trigger sent, once per event (deduplicated by its key), and rejects when it fails so that the queue retries.`),
  });
}

function emitProviderNode(provider: ProviderModel, project: Project): void {
  const { typePrefix: prefix, title } = provider.manifest;
  const parsed = `${prefix}ParsedEvent`;
  const names = optionTypeNames(provider);
  const file = createSource(project, `${provider.name}/node.ts`);
  addImport(file, "../runtime/core/delivery.js", ["DeliveryRequest"], { typeOnly: true });
  addImport(file, "../runtime/core/signatures.js", ["VerifyResult"], { typeOnly: true });
  addImport(file, "../runtime/node/trigger.js", ["createNodeTriggerWith"]);
  addImport(file, "../runtime/node/trigger.js", ["NodeTrigger", "NodeTriggerOptions"], { typeOnly: true });
  addImport(file, "../runtime/node/verify.js", ["verifyWith"]);
  addImport(file, "./delivery.js", [`${provider.valuePrefix}Provider`]);
  addImport(file, "./delivery.js", [parsed, names.verify], { typeOnly: true });
  addImport(file, "./triggers.js", [`${prefix}WebhookTriggers`], { typeOnly: true });
  addFunction(file, {
    name: `verify${prefix}Delivery`,
    parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: names.verify }],
    returnType: "VerifyResult",
    statements: `return verifyWith(${provider.valuePrefix}Provider, request, options);`,
    docs: docs(`Checks that a raw delivery comes from ${title}, synchronously with \`node:crypto\`, before any parsing. Never throws.`),
  });
  addFunction(file, {
    name: `create${prefix}Trigger`,
    parameters: [{ name: "options", type: `NodeTriggerOptions<${prefix}WebhookTriggers, ${parsed}, ${names.verify}>` }],
    returnType: `NodeTrigger<${parsed}>`,
    statements: `return createNodeTriggerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The ${title} matcher registry, served over node:http: \`start()\` listens (port 8080 by default), \`stop()\` drains; \`fetch\` and \`middleware\` serve it elsewhere.`),
  });
}

/** `WherebyVerifyOptions`, `WherebySignOptions`. */
export function optionTypeNames(provider: ProviderModel): { readonly verify: string; readonly sign: string } {
  return { verify: `${provider.manifest.typePrefix}VerifyOptions`, sign: `${provider.manifest.typePrefix}SignOptions` };
}

/** The provider's own options for verifying or signing; required where every mechanism that could authenticate needs it. */
function declaredOptions(provider: ProviderModel, kind: "verify" | "sign"): { name: string; spec: OptionSpec; required: boolean }[] {
  const primary = provider.manifest.authentication.filter((spec) => !(spec.mechanism === "token" && spec.additional));
  const needed = (name: string) => primary.every((spec) => neededOptions(spec).includes(name));
  return Object.entries(provider.manifest.options ?? {})
    .filter(([, spec]) => kind === "sign" || !spec.sign)
    .map(([name, spec]) => ({ name, spec, required: needed(name) }));
}

function neededOptions(spec: MechanismSpec): string[] {
  if (spec.mechanism === "token") return spec.option === undefined ? [] : [spec.option];
  if (spec.mechanism === "jwt") return spec.issuer ? [spec.issuer.option] : [];
  return optionsInParts(spec.message);
}

function optionsInParts(parts: readonly PartSpec[]): string[] {
  return parts.flatMap((part) => ("option" in part ? [part.option] : "anyOf" in part ? optionsInParts(part.anyOf) : []));
}

function optionType(type: OptionSpec["type"]): string {
  return type === "hash" ? "HashAlgorithm" : type === "strings" ? "string | readonly string[]" : "string";
}

function secretAbout(provider: ProviderModel): string {
  const about = provider.manifest.secret?.about;
  return about ? ` (${about})` : "";
}

/** A JSON value as a TypeScript literal: keys unquoted where they can be, values that fit on one line. */
function literal(value: unknown, indent = ""): string {
  const flat = flatLiteral(value);
  if (flat.length + indent.length <= 100 || typeof value !== "object" || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => `${inner}${literal(item, inner)},`).join("\n")}\n${indent}]`;
  return `{\n${Object.entries(value).map(([key, item]) => `${inner}${propertyName(key)}: ${literal(item, inner)},`).join("\n")}\n${indent}}`;
}

function flatLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flatLiteral).join(", ")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const entries = Object.entries(value);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([key, item]) => `${propertyName(key)}: ${flatLiteral(item)}`).join(", ")} }`;
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function addFunction(file: SourceFile, structure: Parameters<SourceFile["addFunction"]>[0]): void {
  file.addFunction({ leadingTrivia: "\n", isExported: true, ...structure });
}
