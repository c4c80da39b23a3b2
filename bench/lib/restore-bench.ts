/**
 * Benchmarks a and b: point-in-time restores of the same history by our engine's CLI and by
 * s3-pit-restore, each through a counting proxy in front of its own moto server.
 *
 * Each tool gets its own emulator process holding its own copy of every scenario's history, written
 * in the same two phases around one shared T, so both restore identical histories and neither sees
 * the other's buckets or load. Seeding and checking go straight to moto and are not counted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startMoto, MotoServer } from '../../test/support/moto';
import { S3Proxy, startS3Proxy } from '../../test/support/s3-proxy';
import { ENTRIES_PER_KEY, HistoryPlan, planHistory } from './history';
import { LIST_PAGE_SIZE } from './limits';
import { applyWrites, createVersionedBucket, directClient, listCurrent } from './s3';
import { RECORDS_BUCKET, ToolRun, lastJsonObject, runTool, s3PitRestoreArgs, sitedrCommand, sitedrRestoreArgs, tail } from './tools';

export type ToolName = 'sitedr' | 's3-pit-restore';

export interface ToolResult {
  readonly tool: ToolName;
  /** Why the tool could not be run, when it could not. */
  readonly skipped?: string;
  readonly exitCode?: number | null;
  readonly error?: string;
  readonly calls?: number;
  readonly callsByOperation?: Record<string, number>;
  readonly wallMs?: number;
  /** The tool's own summary (ours: `--json`). */
  readonly summary?: Record<string, unknown>;
  /** Keys that do not show their content at T after the restore (should be 0). */
  readonly wrongKeys?: number;
  readonly wrongKeySample?: string[];
  /** Keys the tool added that are not part of the history (e.g. its own records), first ten. */
  readonly extraKeys?: string[];
  /** A second identical restore right after the first (first scenario only): its calls. */
  readonly rerunCalls?: number;
  readonly rerunCallsByOperation?: Record<string, number>;
}

export interface ScenarioResult {
  readonly changedShare: number;
  readonly keys: number;
  /** Versions + delete markers in the bucket before the restore: the writes moto acknowledged. */
  readonly listingEntries: number;
  readonly listPages: number;
  /** Keys whose current content (as listed) differs from their content at T. */
  readonly changedKeys: number;
  /** List pages + one operation per changed key. */
  readonly minimumCalls: number;
  readonly tools: ToolResult[];
}

export interface RestoreBenchOptions {
  readonly keyCount: number;
  readonly changedShares: readonly number[];
  readonly tools: readonly ToolName[];
  /** Key chains written in parallel per bucket while seeding. */
  readonly seedConcurrency: number;
  readonly log: (line: string) => void;
}

export interface RestoreBenchResult {
  readonly at: string;
  readonly seedSeconds: number;
  readonly seedWrites: number;
  readonly scenarios: ScenarioResult[];
  /** Process start-up alone (`--help`), so wall times can be read without it. */
  readonly startupMs: Partial<Record<ToolName, number>>;
}

interface Lane {
  readonly tool: ToolName;
  readonly moto: MotoServer;
  readonly proxy: S3Proxy;
  readonly s3: S3Client;
}

/** Why a tool cannot run here, or undefined when it can. */
export async function toolUnavailable(tool: ToolName): Promise<string | undefined> {
  if (tool === 'sitedr') {
    return existsSync(join(__dirname, '..', '..', 'bin', 'sitedr.ts')) ? undefined : 'bin/sitedr.ts does not exist yet';
  }
  try {
    const run = await runTool('s3-pit-restore', ['--help'], 'http://127.0.0.1:9');
    return run.exitCode === 0 ? undefined : `s3-pit-restore --help exited with ${run.exitCode}: ${tail(run.stderr, 3)}`;
  } catch (err) {
    return `s3-pit-restore is not installed (${(err as Error).message}); pip install s3-pit-restore`;
  }
}

export async function runRestoreBenchmarks(opts: RestoreBenchOptions): Promise<RestoreBenchResult> {
  const { log } = opts;
  const plans = opts.changedShares.map((share) => ({ share, plan: planHistory(opts.keyCount, share) }));
  const bucketOf = (tool: ToolName, share: number) => `bench-${tool === 'sitedr' ? 'ours' : 'pit'}-${formatShare(share)}`;

  const lanes: Lane[] = [];
  try {
    for (const tool of opts.tools) {
      const moto = await startMoto();
      const proxy = await startS3Proxy({ target: moto.endpoint });
      lanes.push({ tool, moto, proxy, s3: directClient(moto.endpoint) });
    }

    // Seed every bucket in the same two phases so all histories share one T.
    const seedStarted = Date.now();
    const written = new Map<string, number>();
    const forEachBucket = (fn: (lane: Lane, bucket: string, plan: HistoryPlan) => Promise<void>) =>
      Promise.all(lanes.flatMap((lane) => plans.map(({ share, plan }) => fn(lane, bucketOf(lane.tool, share), plan))));
    const seedPhase = (phase: 'before' | 'after') =>
      forEachBucket(async (lane, bucket, plan) => {
        const ids = await applyWrites(lane.moto.endpoint, bucket, plan[phase], opts.seedConcurrency);
        written.set(bucket, (written.get(bucket) ?? 0) + ids.length);
      });
    await forEachBucket(async (lane, bucket) => createVersionedBucket(lane.s3, bucket));
    for (const lane of lanes) if (lane.tool === 'sitedr') await createVersionedBucket(lane.s3, RECORDS_BUCKET);
    log(`seeding ${plans.length} histories of ${opts.keyCount} keys x ${ENTRIES_PER_KEY} entries for ${lanes.length} tool(s)...`);
    await seedPhase('before');
    // moto stamps versions with the wall clock, truncated to the second: keep a clear second on both
    // sides of T so that every write of the first phase is at or before T and every later one after it.
    await sleep(1100);
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000);
    await sleep(at.getTime() - Date.now() + 1100);
    await seedPhase('after');
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const seedWrites = [...written.values()].reduce((a, b) => a + b, 0);
    log(`seeded ${seedWrites} writes in ${seedSeconds.toFixed(1)} s (${Math.round(seedWrites / seedSeconds)} writes/s); T = ${at.toISOString()}`);

    const startupMs: Partial<Record<ToolName, number>> = {};
    for (const lane of lanes) startupMs[lane.tool] = (await runToolCommand(lane.tool, ['--help'], lane.proxy.endpoint)).wallMs;

    const scenarios: ScenarioResult[] = [];
    for (const [index, { share, plan }] of plans.entries()) {
      const tools: ToolResult[] = [];
      let shape: Omit<ScenarioResult, 'tools' | 'changedShare' | 'keys'> | undefined;
      for (const lane of lanes) {
        const bucket = bucketOf(lane.tool, share);
        // What the bucket shows now against what it showed at T: the keys a restore has to change.
        const changed = differingKeys(await listCurrent(lane.s3, bucket), plan.atT).length;
        const entries = written.get(bucket)!;
        const listPages = Math.ceil(entries / LIST_PAGE_SIZE);
        shape ??= { listingEntries: entries, listPages, changedKeys: changed, minimumCalls: listPages + changed };
        if (changed !== shape.changedKeys) throw new Error(`${bucket} has ${changed} changed keys, its twin ${shape.changedKeys}: the histories differ`);

        log(`${formatShare(share)} changed: ${lane.tool} restoring ${bucket} (${changed} changed keys)...`);
        const result = await measureRestore(lane, bucket, at, plan.atT, index === 0);
        tools.push(result);
        log(`  ${result.calls ?? '-'} calls, ${result.wallMs ? (result.wallMs / 1000).toFixed(1) + ' s' : '-'}, wrong keys ${result.wrongKeys ?? '-'}` + (result.error ? `; error: ${result.error.split('\n')[0]}` : ''));
      }
      scenarios.push({ changedShare: share, keys: opts.keyCount, ...shape!, tools });
    }
    return { at: at.toISOString(), seedSeconds, seedWrites, scenarios, startupMs };
  } finally {
    for (const lane of lanes) {
      await lane.proxy.close();
      lane.s3.destroy();
      lane.moto.process.kill('SIGTERM');
    }
  }
}

/**
 * Runs one tool's restore through its proxy, then checks that every key shows its content at T.
 * With `rerun`, runs our restore a second time, to count what the same restore costs on a bucket that
 * is already in the state it asks for (it should change nothing).
 */
async function measureRestore(lane: Lane, bucket: string, at: Date, wanted: ReadonlyMap<string, string | null>, rerun: boolean): Promise<ToolResult> {
  const args = lane.tool === 'sitedr' ? sitedrRestoreArgs(bucket, at) : s3PitRestoreArgs(bucket, at);
  lane.proxy.reset();
  const run = await runToolCommand(lane.tool, args, lane.proxy.endpoint);
  const calls = lane.proxy.total();
  const callsByOperation = lane.proxy.counts();
  const after = await listCurrent(lane.s3, bucket);
  const wrong = differingKeys(after, wanted).filter((k) => wanted.has(k));
  // Keys outside the history that the tool itself wrote (run records, say): not wrong, but reported.
  const extraKeys = [...after.keys()].filter((k) => !wanted.has(k));

  let again: Pick<ToolResult, 'rerunCalls' | 'rerunCallsByOperation'> = {};
  if (rerun && lane.tool === 'sitedr' && run.exitCode === 0) {
    lane.proxy.reset();
    await runToolCommand(lane.tool, args, lane.proxy.endpoint);
    again = { rerunCalls: lane.proxy.total(), rerunCallsByOperation: lane.proxy.counts() };
  }
  return {
    tool: lane.tool,
    exitCode: run.exitCode,
    ...(run.exitCode !== 0 ? { error: tail(run.stderr || run.stdout) } : {}),
    calls,
    callsByOperation,
    wallMs: Math.round(run.wallMs),
    ...(lane.tool === 'sitedr' ? { summary: lastJsonObject(run.stdout) } : {}),
    wrongKeys: wrong.length,
    wrongKeySample: wrong.slice(0, 5),
    ...(extraKeys.length ? { extraKeys: extraKeys.slice(0, 10) } : {}),
    ...again,
  };
}

/** Keys whose shown content differs between two states; a key missing from one counts as absent (null). */
function differingKeys(a: ReadonlyMap<string, string | null>, b: ReadonlyMap<string, string | null>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => (a.get(k) ?? null) !== (b.get(k) ?? null)).sort();
}

function runToolCommand(tool: ToolName, args: string[], endpoint: string): Promise<ToolRun> {
  if (tool === 's3-pit-restore') return runTool('s3-pit-restore', args, endpoint);
  const [command, full] = sitedrCommand(args);
  return runTool(command, full, endpoint);
}

export function formatShare(share: number): string {
  return `${+(share * 100).toFixed(2)}pct`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
