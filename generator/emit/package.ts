import { readFile } from "node:fs/promises";
import path from "node:path";
import Handlebars from "handlebars";
import type { ProviderModel } from "../model.js";

/** Renders templates/*.hbs (package.json, README.md, tsconfig.json) for the generated package. */
export async function emitPackageFiles(root: string, providers: readonly ProviderModel[], version: string): Promise<Map<string, string>> {
  const handlebars = Handlebars.create();
  handlebars.registerHelper("json", (value: unknown) => new handlebars.SafeString(JSON.stringify(value)));
  handlebars.registerHelper("cell", (value: string) => new handlebars.SafeString(tableCell(value)));
  const view = {
    version,
    eventCount: providers.reduce((sum, p) => sum + p.events.length, 0),
    providers: providers.map((provider, index) => ({
      name: provider.name,
      title: provider.manifest.title,
      docs: provider.manifest.docs,
      prefix: provider.manifest.typePrefix,
      valuePrefix: provider.valuePrefix,
      discriminant: provider.manifest.discriminant,
      last: index === providers.length - 1,
      events: provider.events.map((event) => ({
        type: event.type,
        title: event.title,
        description: event.description,
        typeName: event.typeName,
        /** A retired event that releases still deployed send: listed as retired but accepted. */
        retired: event.source.schema.deprecated === true,
      })),
      firstEvent: provider.events[0],
    })),
  };
  const files = new Map<string, string>();
  for (const name of ["package.json", "README.md", "tsconfig.json"]) {
    const template = await readFile(path.join(root, "templates", `${name}.hbs`), "utf8");
    const text = handlebars.compile(template, { noEscape: true, strict: true })(view);
    if (name.endsWith(".json")) JSON.parse(text); // a template mistake fails here, not in a consumer's install
    files.set(name, text);
  }
  return files;
}

/** One line of a Markdown table cell: the first paragraph, pipes escaped. */
function tableCell(text: string): string {
  return text.split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}
