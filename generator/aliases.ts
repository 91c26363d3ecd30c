import { SchemaError, SchemaErrors, pointerToken } from "./errors.js";
import type { ProviderModel } from "./model.js";

/**
 * `aliases` in a provider.json: the names a provider's own SDK uses for our types, so that code
 * written against that SDK compiles against confhooks unchanged but for its import path.
 *
 *     "aliases": { "from": "Whereby's assistant SDK", "types": { "WebhookType": "WherebyEventType" } }
 */
export interface AliasDeclaration {
  /** Whose names these are, for the JSDoc of each alias. */
  readonly from: string;
  /** Alias name → the generated type it stands for. */
  readonly types: Readonly<Record<string, string>>;
}

/** The types every provider gets besides those of its schema files. */
function generatedNames(provider: ProviderModel): Set<string> {
  const prefix = provider.manifest.typePrefix;
  return new Set([
    ...provider.shared.map((model) => model.typeName),
    ...provider.events.map((model) => model.typeName),
    `${prefix}Event`,
    `${prefix}EventMap`,
    `${prefix}EventType`,
    `${prefix}WebhookTriggers`,
    `${prefix}ParsedEvent`,
    `${prefix}VerifyOptions`,
    `${prefix}SignOptions`,
  ]);
}

/**
 * Checks every provider's aliases: a PascalCase name that is no generated type and no other
 * alias of any provider (they share the package's root entry), standing for a generated type of
 * the same provider. All problems are reported together, with file and JSON pointer.
 */
export function checkAliases(providers: readonly ProviderModel[]): void {
  const errors: SchemaError[] = [];
  const everyName = new Set(providers.flatMap((provider) => [...generatedNames(provider)]));
  const taken = new Map<string, string>();
  for (const provider of providers) {
    const file = provider.manifestFile;
    const declaration = provider.manifest.aliases as unknown;
    if (declaration === undefined) continue;
    if (typeof declaration !== "object" || declaration === null || Array.isArray(declaration)) {
      errors.push(new SchemaError(file, "/aliases", "must be an object with `from` and `types`"));
      continue;
    }
    const { from, types } = declaration as Partial<AliasDeclaration>;
    if (typeof from !== "string" || from.trim() === "") errors.push(new SchemaError(file, "/aliases/from", "must say whose names these are, e.g. \"the provider's JavaScript SDK\""));
    if (typeof types !== "object" || types === null || Array.isArray(types)) {
      errors.push(new SchemaError(file, "/aliases/types", "must map each alias name to a generated type name"));
      continue;
    }
    const own = generatedNames(provider);
    for (const [alias, target] of Object.entries(types)) {
      const at = `/aliases/types/${pointerToken(alias)}`;
      if (!/^[A-Z][A-Za-z0-9]*$/.test(alias)) errors.push(new SchemaError(file, at, "the alias must be a PascalCase identifier"));
      else if (everyName.has(alias)) errors.push(new SchemaError(file, at, `${alias} is already a generated type: export it as it is, without an alias`));
      else if (taken.has(alias)) errors.push(new SchemaError(file, at, `${alias} is already an alias in ${taken.get(alias)}`));
      taken.set(alias, file);
      if (typeof target !== "string" || !own.has(target)) {
        errors.push(new SchemaError(file, at, `must name a generated type of ${provider.manifest.title}, one of ${[...own].sort().join(", ")}; got ${JSON.stringify(target)}`));
      }
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
}
