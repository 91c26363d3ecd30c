// Entry point of `npm run generate`. The heavy dependencies are plain JavaScript: load them
// with Node's own loader first, then let tsx compile only the generator's TypeScript files
// (its hooks would otherwise slow down every one of the hundreds of modules they pull in).
import "ts-morph";
import "json-schema-to-typescript";
import "ajv/dist/2020.js";
import "ajv/dist/standalone/index.js";
import "handlebars";
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("./cli.ts");
process.exit(await runCli(process.argv.slice(2)));
