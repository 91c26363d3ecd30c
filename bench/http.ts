import { fork, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { median, type Comparison } from "./harness.js";
import { buildPackage } from "./build.js";
import { root, signedRequest } from "./fixtures.js";
import type { Row } from "./micro.js";

const servers = { bare: path.join(root, "bench/servers/bare.mjs"), trigger: path.join(root, "bench/servers/trigger.mjs") };

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

async function startServer(file: string): Promise<Running> {
  const child = fork(file, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}

function cpuOf(server: Running): Promise<number> {
  return new Promise((resolve) => {
    server.child.once("message", (message) => {
      const { user, system } = (message as { cpu: NodeJS.CpuUsage }).cpu;
      resolve((user + system) / 1000);
    });
    server.child.send("cpu");
  });
}

/** One autocannon run against `server`: requests per second and server CPU milliseconds per request. */
async function load(server: Running, seconds: number): Promise<{ rps: number; cpuPerRequest: number }> {
  const request = signedRequest("whereby", undefined, Date.now() + (seconds * 1000) / 2);
  const before = await cpuOf(server);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    method: "POST",
    connections: 50,
    duration: seconds,
    headers: { ...request.headers, "content-type": "application/json" },
    body: request.body,
  });
  const cpu = (await cpuOf(server)) - before;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { rps: result.requests.average, cpuPerRequest: cpu / result.requests.total };
}

/** Paired rounds, alternating which server goes first; both servers run throughout. */
export async function httpBenchmarks({ rounds, seconds }: { rounds: number; seconds: number }, log: (row: Row) => void): Promise<Row[]> {
  buildPackage();
  const bare = await startServer(servers.bare);
  const trigger = await startServer(servers.trigger);
  try {
    await load(bare, 1);
    await load(trigger, 1);
    const rps: number[] = [];
    const cpu: number[] = [];
    const samples = { bareRps: [] as number[], triggerRps: [] as number[], bareCpu: [] as number[], triggerCpu: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [bare, trigger] : [trigger, bare];
      const [first, second] = [await load(order[0]!, seconds), await load(order[1]!, seconds)];
      const [b, t] = order[0] === bare ? [first, second] : [second, first];
      rps.push(t.rps / b.rps);
      cpu.push(t.cpuPerRequest / b.cpuPerRequest);
      samples.bareRps.push(b.rps);
      samples.triggerRps.push(t.rps);
      samples.bareCpu.push(b.cpuPerRequest);
      samples.triggerCpu.push(t.cpuPerRequest);
    }
    const summary = (ratios: number[], baseline: number[], candidate: number[]): Comparison => ({
      median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(baseline), candidateUs: median(candidate),
    });
    const rows: Row[] = [
      { what: "trigger requests/s (HTTP, 50 connections, keep-alive)", baseline: "bare node:http server", goal: "≥ 0.60×", met: median(rps) >= 0.6, result: summary(rps, samples.bareRps, samples.triggerRps) },
      { what: "trigger server CPU per request", baseline: "bare node:http server", goal: "≤ 1.65×", met: median(cpu) <= 1.65, result: summary(cpu, samples.bareCpu.map((c) => c * 1000), samples.triggerCpu.map((c) => c * 1000)) },
    ];
    rows.forEach(log);
    return rows;
  } finally {
    bare.child.kill();
    trigger.child.kill();
  }
}

/** Time from spawning `node <server>` until it says it listens, in ms. */
function startTime(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => {
      resolve(performance.now() - started);
      child.kill();
    });
    child.once("error", reject);
  });
}

export async function startupBenchmark(rounds: number, log: (row: Row) => void): Promise<Row> {
  buildPackage();
  const ratios: number[] = [];
  const bare: number[] = [];
  const trigger: number[] = [];
  await startTime(servers.bare);
  await startTime(servers.trigger);
  for (let round = 0; round < rounds; round++) {
    const b = round % 2 === 0 ? await startTime(servers.bare) : 0;
    const t = await startTime(servers.trigger);
    const b2 = round % 2 === 0 ? b : await startTime(servers.bare);
    ratios.push(t / b2);
    bare.push(b2);
    trigger.push(t);
  }
  const row: Row = {
    what: "process start until the Whereby trigger listens",
    baseline: "bare node:http server start",
    goal: "≤ 1.20×",
    met: median(ratios) <= 1.2,
    result: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(bare) * 1000, candidateUs: median(trigger) * 1000 },
  };
  log(row);
  return row;
}
