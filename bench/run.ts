// npm run bench [-- --quick] [-- --record]: every benchmark, as ratios against a floor or a peer
// measured in the same run. Results go to bench/.results/ (ignored); --record writes the committed
// bench/RESULTS.md and results.json instead.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { root } from "./fixtures.js";
import { corpusBenchmark, generateBenchmark, providerCostBenchmark } from "./generate.js";
import { httpBenchmarks, startupBenchmark } from "./http.js";
import { microBenchmarks, type Row } from "./micro.js";
import { peerBenchmarks } from "./peers.js";

const quick = process.argv.includes("--quick");
const record = process.argv.includes("--record");
const outDir = record ? path.join(root, "bench") : path.join(root, "bench/.results");
const started = performance.now();
const rows: Row[] = [];
const log = (row: Row) => {
  rows.push(row);
  const { median, min, max } = row.result;
  console.log(`${row.met ? "ok  " : "MISS"} ${row.what}: ${median.toFixed(2)}× (${min.toFixed(2)}–${max.toFixed(2)}) vs ${row.baseline}; goal ${row.goal}`);
};

console.log(`confhooks benchmarks${quick ? " (quick)" : ""}: interleaved rounds, ratios to a floor measured in the same run\n`);
// --quick is a smoke run (under 20 s on the 2-core machine): every benchmark runs and reports, with
// too few rounds for the ratios to mean much. The full run is what bench/RESULTS.md records.
const profile = quick
  ? { compare: { rounds: 3, time: 10 }, startups: 2, http: { rounds: 1, seconds: 1, warmSeconds: 0.5, peers: false }, generates: 1, corpus: { sizes: [20, 50], runs: 1, warm: false }, providerCost: 1 }
  : { compare: { rounds: 41, time: 60 }, startups: 15, http: { rounds: 3, seconds: 10, warmSeconds: 1, peers: true }, generates: 5, corpus: { sizes: [100, 300, 1000], runs: 3, warm: true }, providerCost: 5 };
await microBenchmarks(profile.compare, log);
await peerBenchmarks(profile.compare, log);
await startupBenchmark(profile.startups, log);
await httpBenchmarks(profile.http, log);
generateBenchmark(profile.generates, log, { warm: !quick });
await corpusBenchmark(profile.corpus.sizes, profile.corpus.runs, log, { warm: profile.corpus.warm });
await providerCostBenchmark("zoom", profile.providerCost, log);

const seconds = (performance.now() - started) / 1000;
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, "results.json"), `${JSON.stringify({ quick, node: process.version, seconds: Math.round(seconds), rows }, null, 2)}\n`);
await writeFile(path.join(outDir, "RESULTS.md"), markdown(seconds));
const shown = path.relative(root, outDir);
console.log(`\n${rows.filter((r) => r.met).length}/${rows.length} goals met in ${seconds.toFixed(0)} s; wrote ${shown}/results.json and ${shown}/RESULTS.md${record ? "" : " (-- --record writes the committed ones)"}`);

function markdown(seconds: number): string {
  const absolute = (us: number) => (us >= 1e5 ? `${(us / 1e6).toFixed(2)} s` : us >= 100 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench --${quick ? " --quick" : ""} --record\` on Node ${process.version}, ${rows.length} measurements in ${seconds.toFixed(0)} s.`,
    "Each ratio is candidate ÷ baseline, measured in alternating rounds of the same run: median and min–max over the rounds.",
    "Absolute times swing 2–10× between runs on this shared 2-core machine; the ratios are what to compare.",
    "What the misses mean and what would fix them: [README.md](README.md).",
    "",
    "| what | baseline | ratio (median, min–max) | baseline → candidate | goal | met |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const { median, min, max, baselineUs, candidateUs } = r.result;
      const perRequest = r.what.includes("requests/s") ? `${baselineUs.toFixed(0)} → ${candidateUs.toFixed(0)} req/s` : `${absolute(baselineUs)} → ${absolute(candidateUs)}`;
      return `| ${r.what} | ${r.baseline} | ${median.toFixed(2)}× (${min.toFixed(2)}–${max.toFixed(2)}) | ${perRequest} | ${r.goal} | ${r.met ? "yes" : "**no**"} |`;
    }),
    "",
  ];
  return lines.join("\n");
}
