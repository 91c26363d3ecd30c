import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, createSource, docs } from "./source.js";

/** `<provider>/guards.ts`: sound type guards, backed by the full validators. */
export function emitGuards(provider: ProviderModel, project: Project): void {
  const prefix = provider.manifest.typePrefix;
  const file = createSource(project, `${provider.name}/guards.ts`);
  file.addImportDeclaration({ moduleSpecifier: "./compiled.js", namespaceImport: "compiled" });
  addImport(file, "./types.js", [`${prefix}Event`, ...provider.events.map((e) => e.typeName)], { typeOnly: true });
  addImport(file, "./validators.js", [`validate${prefix}Event`]);
  file.addFunctions([
    ...provider.events.map((event) => ({
      leadingTrivia: "\n",
      isExported: true,
      name: `is${event.typeName}`,
      parameters: [{ name: "value", type: "unknown" }],
      returnType: `value is ${event.typeName}`,
      statements: `return compiled.validate${event.typeName}(value);`,
      docs: docs(`True when \`value\` is a valid \`${event.type}\` event: the whole event is validated, not just its type.`),
    })),
    {
      leadingTrivia: "\n",
      isExported: true,
      name: `is${prefix}Event`,
      parameters: [{ name: "value", type: "unknown" }],
      returnType: `value is ${prefix}Event`,
      statements: `return validate${prefix}Event(value).ok;`,
      docs: docs(`True when \`value\` is a valid event of any ${provider.manifest.title} event type.`),
    },
  ]);
}
