import { SchemaError, SchemaErrors } from "./errors.js";
import type { JsonSchema, LoadedProvider, ProviderManifest, SchemaFile } from "./load.js";
import { answerTypeName, camelCase, eventTypeName, sharedTypeName } from "./naming.js";

/** A named type emitted from one schema file. */
export interface TypeModel {
  readonly id: string;
  readonly typeName: string;
  readonly title: string;
  readonly description: string;
  readonly source: SchemaFile;
}

export interface EventModel extends TypeModel {
  /** The provider's own event name, e.g. `room.client.joined`. */
  readonly type: string;
}

export interface ProviderModel {
  readonly name: string;
  /** Path of its provider.json, for errors. */
  readonly manifestFile: string;
  readonly manifest: ProviderManifest;
  /** Prefix of value names, e.g. `whereby` in `wherebyEventTypes`. */
  readonly valuePrefix: string;
  /** Property path of the discriminant inside an event, e.g. `["data", "id"]`. */
  readonly discriminant: readonly string[];
  readonly events: readonly EventModel[];
  readonly shared: readonly TypeModel[];
  /** The answers that carry data, by event type: `JaasSettingsProvisioningAnswer`. */
  readonly answers: readonly EventModel[];
  /** Type name of every schema file, by `$id`: how `$ref`s become type references. */
  readonly typeNames: ReadonlyMap<string, string>;
}

/** Names every type and gathers what the emitters need; fails when two files would share a name. */
export function buildModel(providers: readonly LoadedProvider[]): ProviderModel[] {
  const errors: SchemaError[] = [];
  const seen = new Map<string, string>();
  const claim = (model: TypeModel) => {
    const other = seen.get(model.typeName);
    if (other) errors.push(new SchemaError(model.source.file, "", `its type name ${model.typeName} is already taken by ${other}`));
    seen.set(model.typeName, model.source.file);
    return model;
  };
  const models = providers.map((provider): ProviderModel => {
    const prefix = provider.manifest.typePrefix;
    const describe = (source: SchemaFile, typeName: string): TypeModel => {
      const schema: JsonSchema = source.schema;
      return { id: String(schema.$id), typeName, title: String(schema.title), description: String(schema.description), source };
    };
    const shared = provider.shared.map((source) => claim(describe(source, sharedTypeName(prefix, source.base))));
    const answers = provider.answers.map((source) => claim({ ...describe(source, answerTypeName(prefix, source.base)), type: source.base } as EventModel) as EventModel);
    const events = provider.events.map((source) => {
      const model = { ...describe(source, eventTypeName(prefix, source.base)), type: source.base };
      return claim(model) as EventModel;
    });
    return {
      name: provider.name,
      manifestFile: provider.manifestFile,
      manifest: provider.manifest,
      valuePrefix: camelCase(prefix),
      discriminant: provider.manifest.envelope.discriminant.split("/").slice(1),
      events,
      shared,
      answers,
      typeNames: new Map([...shared, ...answers, ...events].map((model) => [model.id, model.typeName])),
    };
  });
  if (errors.length > 0) throw new SchemaErrors(errors);
  return models;
}
