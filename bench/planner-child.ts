/**
 * Benchmark c, run in a child process of its own (bundled to plain JS, no ts-node in memory) so its
 * peak RSS is the planner's and not the benchmark harness's.
 *
 * Feeds the engine's planner a synthetic ListObjectVersions listing of KEYS keys x 5 entries,
 * generated page by page as the S3 adapter would receive it, and reports time and memory.
 * Usage: node planner-child.js KEYS CHANGED_SHARE [stream|plan|listing]
 * - `stream`: the planner hands each operation to `onOp` as it is planned (counted here and dropped,
 *   where the engine would write it out as JSON Lines), so nothing grows with the plan;
 * - `plan`: the planner keeps every operation in the returned body (its default);
 * - `listing`: only generates the synthetic listing and drains it: the part of the time that is this
 *   harness's and not the engine's (which starts at grouping the entries by key).
 */
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { planPointInTime } from '../lambda/core/plan';
import { VersionEntry, groupByKey } from '../lambda/core/versions';
import { ENTRIES_PER_KEY, benchKey, keyKind } from './lib/history';
import { LIST_PAGE_SIZE } from './lib/limits';

const keys = Number(process.argv[2]);
const changedShare = Number(process.argv[3]);
const mode = (['stream', 'plan', 'listing'] as const).find((m) => m === process.argv[4]) ?? 'stream';
const MB = 1024 * 1024;

// Timestamps shared by all keys: four or five writes before T, the changes after it.
const T = new Date('2026-12-01T10:00:00Z');
const NOW = new Date('2026-12-02T10:00:00Z');
const beforeT = [1, 2, 3, 4, 5].map((n) => new Date(T.getTime() - (6 - n) * 3600_000));
const afterT = [1, 2, 3, 4, 5].map((n) => new Date(T.getTime() + n * 3600_000));

let peakHeap = 0;

/** One key's entries newest first, shaped like the history the S3 benchmarks write (see lib/history.ts). */
function entriesOf(i: number): VersionEntry[] {
  const key = benchKey(i);
  const kind = keyKind(i, changedShare);
  const version = (n: number, lastModified: Date, isLatest: boolean): VersionEntry => ({
    key,
    versionId: `v${i}.${n}`,
    isLatest,
    isDeleteMarker: false,
    lastModified,
    size: 1000 + n,
    etag: `"${i.toString(16)}-${n}"`,
  });
  const out: VersionEntry[] = [];
  if (kind === 'created') {
    for (let n = 5; n >= 1; n--) out.push(version(n, afterT[n - 1], n === 5));
  } else if (kind === 'unchanged') {
    for (let n = 5; n >= 1; n--) out.push(version(n, beforeT[n - 1], n === 5));
  } else {
    out.push(
      kind === 'deleted'
        ? { key, versionId: `d${i}`, isLatest: true, isDeleteMarker: true, lastModified: afterT[0], size: 0, etag: '' }
        : version(5, afterT[0], true),
    );
    for (let n = 4; n >= 1; n--) out.push(version(n, beforeT[n - 1], false));
  }
  return out;
}

/**
 * The listing, one page of 1,000 entries at a time, yielding to the event loop between pages as a
 * network read would. Only the current page exists at any moment.
 */
async function* syntheticListing(): AsyncGenerator<VersionEntry> {
  let page: VersionEntry[] = [];
  for (let i = 0; i < keys; i++) {
    for (const e of entriesOf(i)) page.push(e);
    if (page.length >= LIST_PAGE_SIZE || i === keys - 1) {
      yield* page;
      page = [];
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      await new Promise((r) => setImmediate(r));
    }
  }
}

async function main(): Promise<void> {
  const baselineRss = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let body: Awaited<ReturnType<typeof planPointInTime>> | undefined;
  let entriesSeen = 0;
  let streamedOps = 0;
  const opts = { bucket: 'bench', prefix: '', at: T, now: NOW };
  if (mode === 'stream') {
    body = await planPointInTime(groupByKey(syntheticListing()), { ...opts, onOp: () => void streamedOps++ });
  } else if (mode === 'plan') {
    body = await planPointInTime(groupByKey(syntheticListing()), opts);
  } else {
    for await (const _ of syntheticListing()) entriesSeen++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // CPU time of this process: unlike wall time it hardly moves when other work shares the machine.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const entries = keys * ENTRIES_PER_KEY;
  process.stdout.write(
    JSON.stringify({
      mode,
      keys,
      changedShare,
      entries,
      loadAverage1m: loadavg()[0],
      seconds,
      cpuSeconds,
      // ru_maxrss: the kernel's high-water mark of resident memory for this process, in KiB.
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      baselineRssMb: baselineRss / MB,
      peakHeapUsedMb: peakHeap / MB,
      heapLimitMb: getHeapStatistics().heap_size_limit / MB,
      ...(body ? { planOps: body.ops.length, streamedOps, summary: body.summary } : { entriesSeen }),
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
