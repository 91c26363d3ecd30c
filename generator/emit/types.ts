import { StructureKind, type Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { toInterfaces } from "./interfaces.js";
import { banner, docs, exportConst, quote, tidy } from "./source.js";

/**
 * `<provider>/types.ts`: one interface per schema file (json-schema-to-typescript), then the
 * union of the provider's events, a map from event type to interface and the list of types.
 */
export async function emitTypes(provider: ProviderModel, project: Project, files: Map<string, string>): Promise<void> {
  const prefix = provider.manifest.typePrefix;
  const interfaces = await toInterfaces(provider);
  // Only the statements below are built with ts-morph: handing it the interfaces too would make
  // it parse them twice for nothing, the largest cost of a run with many schemas.
  const file = project.createSourceFile(`/scratch/${provider.name}/types.ts`, "", { overwrite: true });
  const union = provider.events.map((event) => event.typeName);
  file.addStatements([{
    kind: StructureKind.TypeAlias,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}Event`,
    type: union.map((name) => `\n| ${name}`).join(""),
    docs: docs(`Any ${provider.manifest.title} webhook event; narrow it with its discriminant \`${provider.manifest.envelope.discriminant}\`.`),
  }, {
    kind: StructureKind.Interface,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}EventMap`,
    docs: docs(`Each ${provider.manifest.title} event type and the interface of its events.`),
    properties: provider.events.map((event) => ({ name: quote(event.type), type: event.typeName, docs: docs(event.title) })),
  }, ...(provider.answers.length === 0 ? [] : [{
    kind: StructureKind.Interface as const,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}AnswerMap`,
    docs: docs(`Each ${provider.manifest.title} event whose answer carries data, and the interface of that answer.`),
    properties: provider.answers.map((answer) => ({ name: quote(answer.type), type: answer.typeName, docs: docs(answer.title) })),
  }]), {
    kind: StructureKind.TypeAlias,
    leadingTrivia: "\n",
    isExported: true,
    name: `${prefix}EventType`,
    type: `keyof ${prefix}EventMap`,
    docs: docs(`The name of a ${provider.manifest.title} event type, e.g. \`${provider.events[0]!.type}\`.`),
  }]);
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}EventTypes`,
    type: `readonly ${prefix}EventType[]`,
    docs: `Every documented ${provider.manifest.title} event type, in file order.`,
    items: provider.events.map((event) => quote(event.type)),
  }));
  files.set(`src/${provider.name}/types.ts`, tidy(`${banner(`schemas/${provider.name}/`)}${interfaces}\n${file.getFullText()}`));
  project.removeSourceFile(file);
}
