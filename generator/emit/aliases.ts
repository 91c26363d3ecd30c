import type { Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, createSource, docs } from "./source.js";

/** `<provider>/aliases.ts`: the provider SDK's names for our types (see generator/aliases.ts). */
export function emitAliases(provider: ProviderModel, project: Project): boolean {
  const declaration = provider.manifest.aliases;
  if (!declaration) return false;
  const entries = Object.entries(declaration.types);
  const file = createSource(project, `${provider.name}/aliases.ts`);
  const targets = [...new Set(entries.map(([, target]) => target))].sort();
  const fromTriggers = targets.filter((target) => target === `${provider.manifest.typePrefix}WebhookTriggers`);
  const fromDelivery = targets.filter((target) => target === `${provider.manifest.typePrefix}ParsedEvent`);
  const fromTypes = targets.filter((target) => !fromTriggers.includes(target) && !fromDelivery.includes(target));
  if (fromDelivery.length > 0) addImport(file, "./delivery.js", fromDelivery, { typeOnly: true });
  if (fromTriggers.length > 0) addImport(file, "./triggers.js", fromTriggers, { typeOnly: true });
  if (fromTypes.length > 0) addImport(file, "./types.js", fromTypes, { typeOnly: true });
  for (const [alias, target] of entries) {
    file.addTypeAlias({
      leadingTrivia: "\n",
      isExported: true,
      name: alias,
      type: target,
      docs: docs(`The name ${declaration.from} uses for {@link ${target}}: the same type, so that code written against it compiles unchanged.`),
    });
  }
  return true;
}
