import { fork, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { median, type Comparison } from "./harness.js";
import { buildPackage } from "./build.js";
import { root, secrets, signedRequest } from "./fixtures.js";
import type { Row } from "./micro.js";

const servers = {
  bare: path.join(root, "bench/servers/bare.mjs"),
  trigger: path.join(root, "bench/servers/trigger.mjs"),
  expressAjv: path.join(root, "bench/servers/express-ajv.mjs"),
  expressSdk: path.join(root, "bench/servers/express-sdk.mjs"),
};

/** The servers verify with the secret the fixtures sign with (test/support.ts derives it from Whereby's rule). */
const serverEnv = { ...process.env, WEBHOOK_SECRET: secrets.whereby };

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

async function startServer(file: string): Promise<Running> {
  const child = fork(file, { stdio: ["ignore", "inherit", "inherit", "ipc"], env: serverEnv });
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

/** Requests/s and CPU per request of `candidate` ÷ `baseline`, in paired rounds alternating which goes first. */
async function paired(baseline: Running, candidate: Running, { rounds, seconds }: { rounds: number; seconds: number }) {
  const samples = { rps: [] as number[], cpu: [] as number[], baseRps: [] as number[], candRps: [] as number[], baseCpu: [] as number[], candCpu: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [baseline, candidate] : [candidate, baseline];
    const [first, second] = [await load(order[0]!, seconds), await load(order[1]!, seconds)];
    const [b, c] = order[0] === baseline ? [first, second] : [second, first];
    samples.rps.push(c.rps / b.rps);
    samples.cpu.push(c.cpuPerRequest / b.cpuPerRequest);
    samples.baseRps.push(b.rps);
    samples.candRps.push(c.rps);
    samples.baseCpu.push(b.cpuPerRequest * 1000);
    samples.candCpu.push(c.cpuPerRequest * 1000);
  }
  const summary = (ratios: number[], base: number[], cand: number[]): Comparison => ({ median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(base), candidateUs: median(cand) });
  return { rps: summary(samples.rps, samples.baseRps, samples.candRps), cpu: summary(samples.cpu, samples.baseCpu, samples.candCpu) };
}

/** The trigger against a bare node:http server (the goals) and against the Express receivers users would write instead. */
export async function httpBenchmarks({ warmSeconds = 1, peers = true, ...options }: { rounds: number; seconds: number; warmSeconds?: number; peers?: boolean }, log: (row: Row) => void): Promise<Row[]> {
  buildPackage();
  const running = await Promise.all([servers.bare, servers.trigger, ...(peers ? [servers.expressAjv, servers.expressSdk] : [])].map(startServer));
  const [bare, trigger, expressAjv, expressSdk] = running as [Running, Running, Running?, Running?];
  try {
    for (const server of running) await load(server, warmSeconds);
    const rows: Row[] = [];
    const floor = await paired(bare, trigger, options);
    rows.push(
      { what: "trigger requests/s (HTTP, 50 connections, keep-alive)", baseline: "bare node:http server", goal: "≥ 0.60×", met: floor.rps.median >= 0.6, result: floor.rps },
      { what: "trigger server CPU per request", baseline: "bare node:http server", goal: "≤ 1.65×", met: floor.cpu.median <= 1.65, result: floor.cpu },
    );
    for (const [peer, name] of [[expressAjv, "Express + express.raw + HMAC + ajv receiver"], [expressSdk, "Express receiver shaped like Whereby's SDK trigger (express.json, no verification)"]] as const) {
      if (!peer) continue; // --quick: the floor only
      const result = await paired(peer, trigger, options);
      rows.push({ what: "trigger requests/s (HTTP, 50 connections, keep-alive)", baseline: name, goal: "reported", met: true, result: result.rps });
    }
    rows.forEach(log);
    return rows;
  } finally {
    for (const server of running) server.child.kill();
  }
}

/** Time from spawning `node <server>` until it says it listens, in ms. */
function startTime(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file], { env: { ...serverEnv, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
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
