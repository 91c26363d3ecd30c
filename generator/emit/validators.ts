import type { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { VariableDeclarationKind, type Project } from "ts-morph";
import type { ProviderModel } from "../model.js";
import { addImport, banner, createSource, docs, exportConst, quote, tidy } from "./source.js";

/**
 * `<provider>/compiled.js` and `.d.ts`: ajv's standalone code for every event of the provider, with no
 * import of ajv at runtime; and `<provider>/validators.ts`: typed, documented wrappers that
 * return readable issues and implement Standard Schema.
 */
export function emitValidators(provider: ProviderModel, ajv: Ajv2020, project: Project, files: Map<string, string>): void {
  const exports = Object.fromEntries([...provider.events, ...provider.answers].map((model) => [`validate${model.typeName}`, model.id]));
  const code = standaloneCode.default(ajv, exports).replace(/^"use strict";\n?/, "");
  if (/\brequire\(/.test(code)) {
    const line = code.split("\n").find((l) => /\brequire\(/.test(l));
    throw new Error(`ajv's standalone code for ${provider.name} imports ajv at runtime (${line?.trim()}); the lint rules should have refused the keyword behind it`);
  }
  // Plain JavaScript with a declaration beside it: the build copies it as it is, where tsc would
  // re-print (and re-indent) it, and the typed wrappers in validators.ts check how it is used.
  const from = banner(`schemas/${provider.name}/ (ajv standalone code)`);
  files.set(`src/${provider.name}/compiled.js`, tidy(`${from}${code}`));
  files.set(`src/${provider.name}/compiled.d.ts`, tidy([
    from,
    `import type { CompiledSchema } from "../runtime/core/validation.js";`,
    "",
    ...provider.events.map((event) => `/** ajv's check of \`${event.type}\`; \`errors\` holds why the last value failed. */\nexport declare const validate${event.typeName}: CompiledSchema;`),
    ...provider.answers.map((answer) => `/** ajv's check of the answer to \`${answer.type}\`; \`errors\` holds why the last value failed. */\nexport declare const validate${answer.typeName}: CompiledSchema;`),
  ].join("\n")));

  const prefix = provider.manifest.typePrefix;
  const file = createSource(project, `${provider.name}/validators.ts`);
  addImport(file, "../runtime/core/validation.js", ["createEventValidator", "createValidator"]);
  addImport(file, "../runtime/core/validation.js", ["Validator"], { typeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "./compiled.js", namespaceImport: "compiled" });
  addImport(file, "./types.js", [`${prefix}Event`, `${prefix}EventMap`, ...(provider.answers.length > 0 ? [`${prefix}AnswerMap`] : []), ...provider.answers.map((a) => a.typeName), ...provider.events.map((e) => e.typeName)], { typeOnly: true });
  const constant = { leadingTrivia: "\n", isExported: true, declarationKind: VariableDeclarationKind.Const };
  file.addVariableStatements([
    ...provider.events.map((event) => ({
      ...constant,
      declarations: [{ name: `validate${event.typeName}`, initializer: `createValidator<${event.typeName}>(compiled.validate${event.typeName})` }],
      docs: docs(`Validates an event of type \`${event.type}\` (${event.title}). Returns \`{ ok: true, value }\` or \`{ ok: false, issues }\`; also a Standard Schema.`),
    })),
    ...provider.answers.map((answer) => ({
      ...constant,
      declarations: [{ name: `validate${answer.typeName}`, initializer: `createValidator<${answer.typeName}>(compiled.validate${answer.typeName})` }],
      docs: docs(`Validates an answer to \`${answer.type}\` (${answer.title}) before it is sent. Returns \`{ ok: true, value }\` or \`{ ok: false, issues }\`; also a Standard Schema.`),
    })),
  ]);
  if (provider.answers.length > 0) {
    file.addStatements(exportConst({
      name: `${provider.valuePrefix}AnswerValidators`,
      type: `{ readonly [Type in keyof ${prefix}AnswerMap]: Validator<${prefix}AnswerMap[Type]> }`,
      docs: `The validator of each answer ${provider.manifest.title} expects, by event type.`,
      entries: provider.answers.map((a) => [quote(a.type), `validate${a.typeName}`]),
    }));
  }
  file.addStatements(exportConst({
    name: `${provider.valuePrefix}Validators`,
    type: `{ readonly [Type in keyof ${prefix}EventMap]: Validator<${prefix}EventMap[Type]> }`,
    docs: `The validator of each ${provider.manifest.title} event type.`,
    entries: provider.events.map((e) => [quote(e.type), `validate${e.typeName}`]),
  }));
  file.addVariableStatement({
      ...constant,
      declarations: [{
        name: `validate${prefix}Event`,
        type: `Validator<${prefix}Event>`,
        initializer: `createEventValidator(${JSON.stringify(provider.discriminant)}, ${provider.valuePrefix}Validators${recognised(provider)})`,
      }],
      docs: docs(`Validates any ${provider.manifest.title} event: reads \`${provider.manifest.envelope.discriminant}\` first, then runs that event's validator only.`),
  });
}

function paths(pointers: readonly string[]): string {
  return JSON.stringify(pointers.map((pointer) => pointer.split("/").slice(1)));
}

/** The events recognised without their discriminant, for the union's validator: `, [{ type, present }]`. */
function recognised(provider: ProviderModel): string {
  const rules = Object.entries(provider.manifest.answers ?? {}).flatMap(([type, answer]) =>
    answer.recognise ? [`{ type: ${quote(type)}, present: ${paths(answer.recognise.present)}${answer.recognise.absent ? `, absent: ${paths(answer.recognise.absent)}` : ""} }`] : []);
  return rules.length > 0 ? `, [${rules.join(", ")}]` : "";
}
