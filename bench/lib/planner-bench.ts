/**
 * Runs benchmark c (bench/planner-child.ts) in a separate Node process: bundled with esbuild first,
 * so the child carries neither ts-node nor the harness and its peak memory is the planner's own.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { runTool, lastJsonObject, tail } from './tools';

export interface PlannerResult {
  readonly mode: PlannerMode;
  readonly keys: number;
  readonly changedShare: number;
  readonly entries?: number;
  /** Wall time of the run. */
  readonly seconds?: number;
  /** CPU time (user + system) of the run: the stable measure on a shared machine. */
  readonly cpuSeconds?: number;
  /** Every repetition's CPU time when the case ran more than once (the reported run is the median). */
  readonly runCpuSeconds?: number[];
  readonly peakRssMb?: number;
  readonly baselineRssMb?: number;
  readonly peakHeapUsedMb?: number;
  /** Operations the returned plan body holds (0 when they were streamed out). */
  readonly planOps?: number;
  /** Operations handed to onOp as they were planned. */
  readonly streamedOps?: number;
  readonly entriesSeen?: number;
  /** The machine's 1-minute load average when the run ended: timings on a busy machine are slower. */
  readonly loadAverage1m?: number;
  readonly summary?: Record<string, number>;
  readonly error?: string;
}

const BENCH = join(__dirname, '..');

/** See bench/planner-child.ts: operations streamed out, kept in the plan, or the listing alone. */
export type PlannerMode = 'stream' | 'plan' | 'listing';

export async function runPlannerBenchmark(keys: number, changedShare: number, mode: PlannerMode): Promise<PlannerResult> {
  const outfile = join(BENCH, 'results', 'tmp', 'planner-child.js');
  buildSync({ entryPoints: [join(BENCH, 'planner-child.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'error' });
  // Plain node: the endpoint is irrelevant (no S3 here) but runTool gives the same clean environment.
  const run = await runTool(process.execPath, [outfile, String(keys), String(changedShare), mode], 'http://127.0.0.1:9', 600_000);
  const parsed = lastJsonObject(run.stdout);
  if (run.exitCode !== 0 || !parsed) {
    return { mode, keys, changedShare, error: `exit ${run.exitCode}: ${tail(run.stderr || run.stdout)}` };
  }
  return parsed as unknown as PlannerResult;
}
