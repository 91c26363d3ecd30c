import { readFile } from "node:fs/promises";
import path from "node:path";
import Handlebars from "handlebars";
import { describeAuthentication, describeEnvelope } from "../describe.js";
import type { ProviderModel } from "../model.js";
import { defaultResponseTimeoutMs } from "../runtime/core/provider.js";
import { describeSecret } from "../runtime/core/secrets.js";
import { answersTable } from "./answers.js";
import { providerApi, runtimeApi } from "./api.js";

/** The generator's own package.json: the generated package takes its version and publishing metadata from it. */
export interface GeneratorManifest {
  readonly version: string;
  readonly author: string;
  readonly repository: { readonly type: string; readonly url: string };
  readonly homepage: string;
  readonly keywords: readonly string[];
  readonly devDependencies: Readonly<Record<string, string>>;
}

const templates = ["package.json", "README.md", "tsconfig.json", "LICENSE", "build.mjs"];

/** Renders templates/*.hbs (package.json, README.md, tsconfig.json, LICENSE, build.mjs) for the generated package. */
export async function emitPackageFiles(root: string, providers: readonly ProviderModel[], manifest: GeneratorManifest): Promise<Map<string, string>> {
  const handlebars = Handlebars.create();
  handlebars.registerHelper("json", (value: unknown) => new handlebars.SafeString(JSON.stringify(value)));
  handlebars.registerHelper("cell", (value: string) => new handlebars.SafeString(tableCell(value)));
  const view = {
    version: manifest.version,
    author: manifest.author,
    repository: manifest.repository,
    homepage: manifest.homepage,
    keywords: manifest.keywords,
    /** The consumer's build needs TypeScript and Node's types, in the versions this generator is tested with. */
    typescript: manifest.devDependencies.typescript,
    typesNode: manifest.devDependencies["@types/node"],
    /** What the trigger answers, from the runtime's table of answers. */
    answersTable: answersTable(),
    eventCount: providers.reduce((sum, p) => sum + p.events.length, 0),
    api: runtimeApi.map((entry) => entry.line),
    providers: providers.map((provider, index) => ({
      name: provider.name,
      title: provider.manifest.title,
      docs: provider.manifest.docs,
      prefix: provider.manifest.typePrefix,
      valuePrefix: provider.valuePrefix,
      discriminant: provider.manifest.envelope.discriminant,
      api: providerApi(provider).map((entry) => entry.line).filter((line) => line !== ""),
      envelope: describeEnvelope(provider.manifest),
      authentication: describeAuthentication(provider.manifest),
      secret: [provider.manifest.secret?.about, describeSecret(provider.manifest.secret)].filter(Boolean).join(", "),
      options: Object.entries(provider.manifest.options ?? {}).map(([name, option]) => ({ name, ...option })),
      handshakes: provider.manifest.handshakes ?? [],
      answerWithinMs: provider.manifest.answerWithinMs,
      responseTimeoutMs: defaultResponseTimeoutMs(provider.manifest.answerWithinMs),
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
  for (const name of templates) {
    const template = await readFile(path.join(root, "templates", `${name}.hbs`), "utf8");
    const text = handlebars.compile(template, { noEscape: true, strict: true })(view);
    if (name.endsWith(".json")) JSON.parse(text); // a template mistake fails here, not in a consumer's install
    files.set(name, text);
  }
  // The project's CHANGELOG (written by `--release`) ships with the package.
  const changelog = await readFile(path.join(root, "CHANGELOG.md"), "utf8").catch(() => undefined);
  if (changelog !== undefined) files.set("CHANGELOG.md", changelog);
  return files;
}

/** One line of a Markdown table cell: the first paragraph, pipes escaped. */
function tableCell(text: string): string {
  return text.split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}
