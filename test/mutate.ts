// npm run mutate [-- --record] [-- <Stryker options>]: mutation testing of the runtime and the
// generator's decision code (stryker.config.mjs says what and how). The report goes to
// .stryker/report/ (ignored): index.html, mutation.json and MUTATION.md; --record writes the
// committed test/MUTATION.md instead. Other options go to `stryker run`, e.g.
// `npm run mutate -- --mutate generator/runtime/core/dedupe.ts` or `-- --concurrency 2`.
// --record with --mutate records a narrowed run's score, saying which files it covers.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { root } from "./support.js";

const args = process.argv.slice(2);
const record = args.includes("--record");
const passed = args.filter((arg) => arg !== "--record");
const narrowed = passed.some((arg) => arg === "--mutate" || arg === "-m" || arg.startsWith("--mutate="));
// A narrowed run keeps its own incremental file, so that it does not replace the full run's.
const incremental = narrowed && !passed.includes("--incrementalFile") ? ["--incrementalFile", ".stryker/incremental-narrowed.json"] : [];

const require = createRequire(import.meta.url);
const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json")), "bin/stryker.js");
const started = performance.now();
const code = await new Promise<number>((resolve, reject) => {
  const child = spawn(process.execPath, [stryker, "run", "stryker.config.mjs", ...incremental, ...passed], { cwd: root, stdio: "inherit" });
  child.on("error", reject);
  child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});
if (code !== 0 || passed.includes("--dryRunOnly")) process.exit(code);
const seconds = (performance.now() - started) / 1000;

/** The parts of Stryker's JSON report (mutation-testing-report-schema) read here. */
interface Report {
  readonly files: Record<string, { readonly mutants: readonly Mutant[] }>;
}
interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

const report = JSON.parse(await readFile(path.join(root, ".stryker/report/mutation.json"), "utf8")) as Report;
const version = (JSON.parse(await readFile(require.resolve("@stryker-mutator/core/package.json"), "utf8")) as { version: string }).version;
const outFile = record ? path.join(root, "test/MUTATION.md") : path.join(root, ".stryker/report/MUTATION.md");
await writeFile(outFile, markdown(report));
const total = tally(Object.values(report.files).flatMap((file) => file.mutants));
console.log(`\nmutation score ${percent(total)} (${total.detected} of ${total.valid} mutants killed) in ${seconds.toFixed(0)} s; wrote ${path.relative(root, outFile)}${record ? "" : " (-- --record writes the committed test/MUTATION.md)"}`);

function tally(mutants: readonly Mutant[]) {
  const count = (...statuses: Mutant["status"][]) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count("Killed", "Timeout");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  return { detected, survived, noCoverage, timeout: count("Timeout"), errors: count("CompileError", "RuntimeError"), valid: detected + survived + noCoverage };
}

function percent({ detected, valid }: { detected: number; valid: number }): string {
  return valid === 0 ? "n/a" : `${((100 * detected) / valid).toFixed(1)} %`;
}

function markdown({ files }: Report): string {
  const names = Object.keys(files).sort();
  const all = tally(names.flatMap((name) => files[name]!.mutants));
  const lines = [
    "# Mutation testing results",
    "",
    `Written by \`npm run mutate${args.length > 0 ? ` -- ${args.join(" ")}` : ""}\` with StrykerJS ${version} on Node ${process.version}, in ${seconds.toFixed(0)} s (incremental: mutants whose code and tests did not change keep their earlier result).`,
    narrowed ? `A narrowed run: only the files listed below were mutated (the whole set, \`npm run mutate\` without --mutate, takes hours on a 2-core machine). What is mutated and how: stryker.config.mjs.` : "What is mutated and how: stryker.config.mjs.",
    "Score = killed (timeouts included) ÷ (killed + survived + no coverage).",
    "",
    `**Total: ${percent(all)}**, ${all.detected} killed (${all.timeout} by timeout), ${all.survived} survived, ${all.noCoverage} without coverage.`,
    "",
    "| file | score | killed | survived | no coverage | errors |",
    "|---|---|---|---|---|---|",
    ...names.map((name) => {
      const t = tally(files[name]!.mutants);
      return `| ${name} | ${percent(t)} | ${t.detected} | ${t.survived} | ${t.noCoverage} | ${t.errors} |`;
    }),
    "",
    "## Mutants that no test kills",
    "",
    "Each is a missing test, or an equivalent mutant (no behaviour changes) to be marked so with a `// Stryker disable next-line <mutator>: <why>` comment.",
    "",
  ];
  for (const name of names) {
    const open = files[name]!.mutants
      .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    if (open.length === 0) continue;
    lines.push(`### ${name}`, "");
    for (const m of open) {
      const replacement = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
      lines.push(`- ${m.location.start.line}:${m.location.start.column} ${m.mutatorName}${m.status === "NoCoverage" ? " (no coverage)" : ""}: \`${replacement.replace(/`/g, "'")}\``);
    }
    lines.push("");
  }
  return lines.join("\n");
}
