// Mutation testing with StrykerJS: `npm run mutate` (test/mutate.ts runs Stryker with this file,
// then writes the score; `-- --record` writes the committed test/MUTATION.md). Not part of
// `npm test`: it takes minutes to hours.
//
// What is mutated, and how the tests come to run the mutants:
// - The runtime's source is generator/runtime/**, but the tests import its COPY in
//   generated/src/runtime/ (the generator copies it verbatim under a banner). So Stryker mutates
//   generator/runtime/** in its sandbox and `buildCommand` regenerates the package there
//   (`node generator/bin.mjs`): the copies in generated/src/runtime/ then hold the instrumented
//   code, with every mutant switched off until the test runner activates one. Reports and the
//   incremental file name the real source files, with their own line numbers. (Mutating the
//   copies instead would report generated/ paths off by the banner's lines, and would make the
//   generator's test "generated/ is what the generator writes" fail in the initial run; with the
//   regeneration that test keeps passing, since generated/ and the generator's output come from
//   the same instrumented sources.)
// - The generator's decision code is imported by the tests directly and mutated in place: lint,
//   release classification, and `--check` (write.ts compares the tree, cli.ts decides the exit).
// - vitest's `related` mode is off: it follows imports from the mutated files, and no test
//   imports generator/runtime/ directly. Per-test coverage picks the tests of each mutant.
// - vitest.mutate.config.ts leaves out the test files that cannot see a mutant (they run the
//   code in other processes: Deno, Bun, workerd, `npm pack`, tsc) or need a redis-server that
//   is not installed.
//
// Incremental: results are kept in .stryker/incremental.json and reused for every mutant whose
// code and covering tests did not change, so a rerun after a small change tests only what it
// touched. The file is NOT committed (.stryker/ is ignored): it is a cache of several hundred KB
// rewritten by every run, which would conflict between any two branches; the score worth
// keeping goes to test/MUTATION.md with `--record`. A clean clone starts with a full run.
// A run narrowed with `-- --mutate <file>` keeps its own incremental file (test/mutate.ts), so
// that it does not overwrite the full run's.
//
// Measured on the shared 2-core machine, concurrency 1: `-- --mutate generator/runtime/core/dedupe.ts`
// (61 mutants) 29 s the first time, 17 s again with nothing changed; each run spends 11–21 s on
// the initial test run (about 1,000 tests, needed for per-test coverage) and 3–5 s on the
// sandbox and the regeneration. The whole set is 2,884 mutants in 19 files.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  coverageAnalysis: "perTest",
  mutate: [
    "generator/runtime/**/*.ts",
    "generator/lint.ts",
    "generator/release.ts",
    "generator/write.ts",
    "generator/cli.ts",
  ],
  buildCommand: "node generator/bin.mjs",
  incremental: true,
  incrementalFile: ".stryker/incremental.json",
  tempDirName: ".stryker/tmp",
  cleanTempDir: true,
  // Not needed by the tests: copying them into every sandbox only costs time.
  ignorePatterns: [".stryker", ".scratch", "bench", "generated/dist", "generated/node_modules", "generated.tmp-*"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".stryker/report/index.html" },
  jsonReporter: { fileName: ".stryker/report/mutation.json" },
  clearTextReporter: { allowEmojis: false, logTests: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  // The machine is shared: one test runner unless `-- --concurrency <n>` says otherwise.
  concurrency: 1,
  // Tests start HTTP servers and wait on timers: leave them room on a loaded machine.
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 15,
};
