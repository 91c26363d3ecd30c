import { writeFile } from "node:fs/promises";
import path from "node:path";
import { root } from "./fixtures.js";
import { microBenchmarks, type Row } from "./micro.js";

const quick = process.argv.includes("--quick");
const started = performance.now();
const print = (row: Row) => {
  const { median, min, max } = row.result;
  console.log(`${row.met ? "ok  " : "MISS"} ${row.what.padEnd(48)} ${median.toFixed(2)}× (${min.toFixed(2)}–${max.toFixed(2)}) vs ${row.baseline}, goal ${row.goal}`);
};

const rows: Row[] = [];
rows.push(...(await microBenchmarks(quick ? { rounds: 3, time: 100 } : { rounds: 7, time: 400 }, print)));

await writeFile(path.join(root, "bench/results.json"), `${JSON.stringify({ quick, node: process.version, rows }, null, 2)}\n`);
console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
