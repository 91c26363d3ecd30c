import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, createSource, docs, quote } from "./source.js";

/** `<provider>/triggers.ts`: the matcher registry, one typed slot per event type. */
export function emitTriggers(provider: ProviderModel, project: Project): void {
  const prefix = provider.manifest.typePrefix;
  const registry = `${prefix}WebhookTriggers`;
  const file = createSource(project, `${provider.name}/triggers.ts`);
  addImport(file, "../runtime/core/matchers.js", ["fillMatchers"]);
  const answers = new Map(provider.answers.map((answer) => [answer.type, answer.typeName]));
  addImport(file, "../runtime/core/matchers.js", answers.size > 0 ? ["Answerer", "Matcher"] : ["Matcher"], { typeOnly: true });
  addImport(file, "./types.js", [`${provider.valuePrefix}EventTypes`]);
  addImport(file, "./types.js", [...provider.answers.map((a) => a.typeName), ...provider.events.map((e) => e.typeName)], { typeOnly: true });
  file.addInterface({
    leadingTrivia: "\n",
    isExported: true,
    name: registry,
    docs: docs(
      `One matcher per ${provider.manifest.title} event type. A matcher receives the validated event and returns \`true\` (or a promise of \`true\`) to trigger.`,
      answers.size > 0 ? `An event whose answer carries data (${[...answers.keys()].map((type) => `\`${type}\``).join(", ")}) has an answerer instead: it returns the answer (validated before it is sent), or \`false\` to answer as to any delivery.` : undefined,
    ),
    properties: provider.events.map((event) => ({
      name: quote(event.type),
      type: answers.has(event.type) ? `Answerer<${event.typeName}, ${answers.get(event.type)}>` : `Matcher<${event.typeName}>`,
      docs: docs(`${event.title}: ${event.description}`),
    })),
  });
  file.addFunction({
    leadingTrivia: "\n",
    isExported: true,
    name: `create${registry}`,
    parameters: [{ name: "triggers", type: `Partial<${registry}>`, initializer: "{}" }],
    returnType: registry,
    statements: `return fillMatchers<${registry}>(${provider.valuePrefix}EventTypes, triggers);`,
    docs: docs(
      `Fills every slot \`triggers\` leaves out with \`() => false\`.`,
      "@throws TypeError when `triggers` names an event type that does not exist.",
    ),
  });
}
