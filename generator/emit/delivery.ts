import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, createSource, docs, exportConst, quote } from "./source.js";

/**
 * `<provider>/delivery.ts`: the provider's definition for the runtime and its typed entry
 * points (`parse…Delivery`, `verify…Delivery`, `create…Trigger`); `providers.ts`: the same,
 * keyed by provider name, for code that receives several providers.
 */
export function emitDelivery(providers: readonly ProviderModel[], project: Project): void {
  for (const provider of providers) emitProviderDelivery(provider, project);

  const file = createSource(project, "providers.ts");
  addImport(file, "./runtime/delivery.js", ["parseWith"]);
  addImport(file, "./runtime/delivery.js", ["DeliveryRequest", "DeliveryResult", "ParsedEventOf", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "./runtime/signatures.js", ["verifyWith"]);
  addImport(file, "./runtime/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "./runtime/trigger.js", ["Trigger"]);
  addImport(file, "./runtime/trigger.js", ["TriggerOptions"], { typeOnly: true });
  for (const provider of providers) {
    const prefix = provider.manifest.typePrefix;
    addImport(file, `./${provider.name}/delivery.js`, [`${provider.valuePrefix}Provider`]);
    addImport(file, `./${provider.name}/index.js`, [`${prefix}EventMap`, `${prefix}WebhookTriggers`], { typeOnly: true });
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
    docs: docs("A validated event of provider `P`, with its provider and type; narrow it with `provider` and `type`."),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: "parseDelivery",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "provider", type: "P" }, { name: "request", type: "DeliveryRequest" }],
    returnType: "DeliveryResult<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, provider)) return { ok: false, error: { code: \"unknown_provider\", message: `unknown provider ${JSON.stringify(provider)}` } };",
      "return parseWith(providers[provider] as ProviderDefinition, request) as DeliveryResult<ParsedEvent<P>>;",
    ],
    docs: docs(
      "Decodes a raw delivery of `provider` (its envelope, iotum's payload string, BigBlueButton's form) and validates every event in it. Never throws: the result is the events, or an error with a stable `code`.",
      "Call `verifyDelivery` first, on the same request.",
    ),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: "verifyDelivery",
    parameters: [{ name: "provider", type: "Provider" }, { name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "VerifyResult",
    statements: [
      "if (!Object.hasOwn(providers, provider)) return { ok: false, error: { code: \"unknown_provider\", message: `unknown provider ${JSON.stringify(provider)}` } };",
      "return verifyWith(providers[provider], request, options);",
    ],
    docs: docs("Checks the signature, checksum or token of a raw delivery of `provider`, in constant time, before any parsing. Never throws."),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: "createTrigger",
    typeParameters: [{ name: "P", constraint: "Provider" }],
    parameters: [{ name: "options", type: "TriggerOptions<ProviderTypes[P][\"triggers\"], ParsedEvent<P>> & { readonly provider: P }" }],
    returnType: "Trigger<ParsedEvent<P>>",
    statements: [
      "if (!Object.hasOwn(providers, options.provider)) throw new TypeError(`createTrigger: unknown provider ${JSON.stringify(options.provider)}; known: ${Object.keys(providers).join(\", \")}`);",
      "return new Trigger<ParsedEvent<P>>(providers[options.provider] as ProviderDefinition, options);",
    ],
    docs: docs("The matcher registry of `options.provider`, served over node:http: `start()` listens (port 8080 by default), `stop()` drains."),
  });
}

function emitProviderDelivery(provider: ProviderModel, project: Project): void {
  const prefix = provider.manifest.typePrefix;
  const title = provider.manifest.title;
  const file = createSource(project, `${provider.name}/delivery.ts`);
  addImport(file, "../runtime/delivery.js", ["parseWith"]);
  addImport(file, "../runtime/delivery.js", ["DeliveryRequest", "DeliveryResult", "ParsedEventOf", "ProviderDefinition"], { typeOnly: true });
  addImport(file, "../runtime/signatures.js", ["verifyWith"]);
  addImport(file, "../runtime/signatures.js", ["VerifyOptions", "VerifyResult"], { typeOnly: true });
  addImport(file, "../runtime/trigger.js", ["createTriggerWith"]);
  addImport(file, "../runtime/trigger.js", ["Trigger", "TriggerOptions"], { typeOnly: true });
  addImport(file, "./triggers.js", [`${prefix}WebhookTriggers`], { typeOnly: true });
  addImport(file, "./types.js", [`${provider.valuePrefix}EventTypes`]);
  addImport(file, "./types.js", [`${prefix}EventMap`], { typeOnly: true });
  addImport(file, "./validators.js", [`${provider.valuePrefix}Validators`]);
  const parsed = `${prefix}ParsedEvent`;
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}Provider`,
    type: `ProviderDefinition<${quote(provider.name)}, ${prefix}EventMap>`,
    docs: `How ${title} delivers webhooks: envelope \`${provider.manifest.envelope}\`, authentication \`${provider.manifest.signature}\`, event type at \`${provider.manifest.discriminant}\`.`,
    entries: [
      ["name", quote(provider.name)],
      ["title", quote(title)],
      ["envelope", quote(provider.manifest.envelope)],
      ["signature", quote(provider.manifest.signature)],
      ["discriminant", JSON.stringify(provider.discriminant)],
      ["eventTypes", `${provider.valuePrefix}EventTypes`],
      ["validators", `${provider.valuePrefix}Validators`],
    ],
  }));
  file.addTypeAlias({
    leadingTrivia: "\n",
    isExported: true,
    name: parsed,
    type: `ParsedEventOf<${quote(provider.name)}, ${prefix}EventMap>`,
    docs: docs(`A validated ${title} event with its type; narrow it with \`type\`.`),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: `parse${prefix}Delivery`,
    parameters: [{ name: "request", type: "DeliveryRequest" }],
    returnType: `DeliveryResult<${parsed}>`,
    statements: `return parseWith(${provider.valuePrefix}Provider, request);`,
    docs: docs(`Decodes and validates a raw ${title} delivery. Never throws. Call \`verify${prefix}Delivery\` first.`),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: `verify${prefix}Delivery`,
    parameters: [{ name: "request", type: "DeliveryRequest" }, { name: "options", type: "VerifyOptions" }],
    returnType: "VerifyResult",
    statements: `return verifyWith(${provider.valuePrefix}Provider, request, options);`,
    docs: docs(`Checks that a raw delivery comes from ${title} (\`${provider.manifest.signature}\`), before any parsing. Never throws.`),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: `create${prefix}Trigger`,
    parameters: [{ name: "options", type: `TriggerOptions<${prefix}WebhookTriggers, ${parsed}>` }],
    returnType: `Trigger<${parsed}>`,
    statements: `return createTriggerWith(${provider.valuePrefix}Provider, options);`,
    docs: docs(`The ${title} matcher registry, served over node:http: \`start()\` listens (port 8080 by default), \`stop()\` drains.`),
  });
}
