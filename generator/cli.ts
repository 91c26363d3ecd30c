import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FolderError, SchemaErrors, shownPath } from "./errors.js";
import { generate } from "./pipeline.js";
import { release } from "./release-files.js";
import { diffTree, writeTree } from "./write.js";

/** Exit codes: each outcome a script can tell apart. */
export const exitCodes = {
  done: 0,
  stale: 1,
  schemas: 2,
  usage: 3,
  folder: 4,
  failure: 5,
} as const;

const usage = `Usage: npm run generate -- [--check | --release] [--schemas <dir>] [--out <dir>]

Turns schemas/ into the confhooks package in generated/.
  --check          write nothing; exit 1 naming each file of generated/ that is stale
  --release        compare the schemas with schemas/release.lock.json, classify each change for
                   consumers (breaking, feature, fix), bump the version in package.json and
                   package-lock.json, add a CHANGELOG.md entry, update the lock, then generate
  --schemas <dir>  read schemas from <dir>: one folder per provider (default: schemas/)
  --out <dir>      write the package to <dir> (default: generated/); only the files listed in
                   its .confhooks-files are replaced or removed, anything else there is kept
  -h, --help       this text

Relative folders are taken from where npm was started.

Exit codes:
  0  generated, or (--check) generated/ is up to date
  1  --check: files of generated/ are stale (each is named)
  2  the schemas have problems (each is named with its file and JSON pointer); nothing was written
  3  the command line is wrong (an unknown option, --check with --release)
  4  a folder cannot be used: --schemas is missing, not a folder or one provider's folder;
     --out holds files that the generator did not write
  5  an unexpected failure (a bug: the stack trace is printed)`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the command line writes: the console, or a test's buffers. */
export interface Output {
  log(text: string): void;
  error(text: string): void;
}

/**
 * `npm run generate` with `args`: resolves with the exit code (`exitCodes`) after printing to
 * `output`. Never rejects.
 */
export async function runCli(args: readonly string[], output: Output = console): Promise<number> {
  try {
    return await main(args, output);
  } catch (error) {
    if (error instanceof SchemaErrors) {
      output.error(`${error.message}\nNothing was written.`);
      return exitCodes.schemas;
    }
    if (error instanceof FolderError) {
      output.error(error.message);
      return exitCodes.folder;
    }
    output.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return exitCodes.failure;
  }
}

async function main(args: readonly string[], console: Output): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { check: { type: "boolean" }, release: { type: "boolean" }, schemas: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return exitCodes.usage;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.release && values.check) {
    console.error(`--check and --release do not go together\n\n${usage}`);
    return exitCodes.usage;
  }
  // npm runs scripts in the project's root: folders typed on the command line are taken from where it was started.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const outDir = values.out === undefined ? path.join(root, "generated") : path.resolve(cwd, values.out);
  const schemasDir = values.schemas === undefined ? path.join(root, "schemas") : path.resolve(cwd, values.schemas);
  const started = performance.now();
  let result = await generate({ root, schemasDir });
  if (values.release) {
    const released = await release({ root, schemasDir, providers: result.providers, today: new Date().toISOString().slice(0, 10) });
    console.log(released.message);
    if (!released.changed) return 0;
    result = await generate({ root, schemasDir }); // with the new version and CHANGELOG
  }
  const events = result.providers.reduce((sum, p) => sum + p.events.length, 0);
  const summary = `${result.providers.length} providers (${result.providers.map((p) => `${p.name} ${p.events.length}`).join(", ")}), ${events} events, ${result.files.size} files`;
  const steps = [...result.timings].map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(", ");
  const shown = shownPath(outDir);

  if (values.check) {
    const diff = await diffTree(outDir, result.files);
    const stale = [...diff.changed.map((f) => `changed  ${f}`), ...diff.missing.map((f) => `missing  ${f}`), ...diff.extra.map((f) => `extra    ${f}`)];
    if (stale.length > 0) {
      console.error(`${shown}/ is stale: ${stale.length} file(s) differ from what schemas/ produce:\n${stale.map((l) => `  ${l}`).join("\n")}\nRun \`npm run generate\` and commit the result.`);
      return 1;
    }
    console.log(`${shown}/ is up to date: ${summary} (${elapsed(started)}: ${steps})`);
    return 0;
  }
  const writing = performance.now();
  await writeTree(outDir, result.files);
  console.log(`Generated ${shown}/: ${summary} in ${elapsed(started)} (${steps}, write ${Math.round(performance.now() - writing)} ms)`);
  return 0;
}

function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(2)} s`;
}
