import { Bench } from "tinybench";

export interface Comparison {
  /** Median of the per-round ratios candidate / baseline (time per operation). */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
  /** Median time per operation, in microseconds. */
  readonly baselineUs: number;
  readonly candidateUs: number;
}

export interface CompareOptions {
  readonly rounds: number;
  /** Time budget per case per round, ms. */
  readonly time: number;
}

/**
 * Times `baseline` and `candidate` in many short alternating rounds (A B, B A, A B, …) after a
 * warm-up, so that the machine's drift hits both alike; reports the median of the rounds'
 * ratios. Each call runs the operation `batch` times to keep timer overhead out of the samples,
 * and garbage is collected before each case (with --expose-gc) so neither pays the other's debt.
 */
export async function compare(baseline: () => unknown, candidate: () => unknown, { rounds, time }: CompareOptions, batch = 20): Promise<Comparison> {
  const repeat = (fn: () => unknown) => () => {
    for (let i = 0; i < batch; i++) fn();
  };
  const a = repeat(baseline);
  const b = repeat(candidate);
  const ratios: number[] = [];
  const base: number[] = [];
  const cand: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: round === 0 ? time : 20 });
    const order = round % 2 === 0 ? [["baseline", a], ["candidate", b]] : [["candidate", b], ["baseline", a]];
    for (const [name, fn] of order as [string, () => void][]) bench.add(name, fn, { beforeAll: collectGarbage });
    await bench.run();
    const mean = (name: string) => {
      const result = bench.getTask(name)?.result;
      if (!result || !("latency" in result)) throw new Error(`benchmark ${name} did not complete`);
      return result.latency.mean / batch;
    };
    ratios.push(mean("candidate") / mean("baseline"));
    base.push(mean("baseline"));
    cand.push(mean("candidate"));
  }
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds, baselineUs: median(base) * 1000, candidateUs: median(cand) * 1000 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});
