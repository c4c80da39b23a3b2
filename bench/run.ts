/**
 * `npm run bench`: the benchmarks of issue 3, printed as Markdown tables and saved under
 * bench/results/ as JSON (everything measured) and Markdown (the tables).
 *
 *   a. API calls of our point-in-time restore against the minimum (list pages + one call per changed key)
 *   b. the same restores with s3-pit-restore: calls and wall time as ratios
 *   c. the planner alone on a synthetic 1,000,000 keys x 5 versions listing: time and peak memory
 *
 * Options (for quicker runs while developing; the committed results use the defaults):
 *   --keys N              keys per restore history (2000)
 *   --changed 1,10,100    changed shares in percent
 *   --planner-keys N      keys in the synthetic listing (1000000)
 *   --only restore|planner
 *   --tools sitedr,s3-pit-restore
 *   --seed-concurrency N  key chains written in parallel per bucket while seeding (4)
 *   --planner-repeats N   runs of each planner case; the median by time is reported (3)
 *   --render FILE.json    measure nothing: rewrite FILE.md from a saved run (after a change to the tables)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PlannerResult, runPlannerBenchmark } from './lib/planner-bench';
import { BenchReport, renderMarkdown } from './lib/report';
import { RestoreBenchResult, ToolName, runRestoreBenchmarks, toolUnavailable } from './lib/restore-bench';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '2000' },
      changed: { type: 'string', default: '1,10,100' },
      'planner-keys': { type: 'string', default: '1000000' },
      only: { type: 'string' },
      tools: { type: 'string', default: 'sitedr,s3-pit-restore' },
      'seed-concurrency': { type: 'string', default: '4' },
      'planner-repeats': { type: 'string', default: '3' },
      render: { type: 'string' },
    },
  });
  if (values.render) {
    const saved = JSON.parse(readFileSync(values.render, 'utf8')) as BenchReport;
    writeFileSync(values.render.replace(/\.json$/, '.md'), renderMarkdown(saved));
    return;
  }
  const started = new Date();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const environment = describeEnvironment();

  let restore: RestoreBenchResult | undefined;
  const unavailable: Record<string, string> = {};
  if (values.only !== 'planner') {
    const tools: ToolName[] = [];
    for (const tool of values.tools!.split(',') as ToolName[]) {
      const why = await toolUnavailable(tool);
      if (why) {
        unavailable[tool] = why;
        log(`${tool}: not run (${why})`);
      } else tools.push(tool);
    }
    if (tools.length > 0) {
      restore = await runRestoreBenchmarks({
        keyCount: Number(values.keys),
        changedShares: values.changed!.split(',').map((p) => Number(p) / 100),
        tools,
        seedConcurrency: Number(values['seed-concurrency']),
        log,
      });
    }
  }

  const planner: PlannerResult[] = [];
  if (values.only !== 'restore') {
    const keys = Number(values['planner-keys']);
    // A typical incident (1 % changed) and the worst case (everything changed), each with the
    // operations streamed out and with the synthetic listing alone (so the planner's own time is the
    // difference); the worst case also with the operations kept in the plan, the planner's default.
    const cases = [[0.01, 'listing'], [0.01, 'stream'], [1, 'listing'], [1, 'stream'], [1, 'plan']] as const;
    for (const [share, mode] of cases) {
      log(`planner: ${keys} keys, ${share * 100} % changed, ${mode}...`);
      const result = await medianOf(Number(values['planner-repeats']), () => runPlannerBenchmark(keys, share, mode));
      planner.push(result);
      log(result.error ? `  error: ${result.error}` : `  median CPU ${result.cpuSeconds!.toFixed(2)} s of ${result.runCpuSeconds!.map((x) => x.toFixed(2)).join(', ')}; wall ${result.seconds!.toFixed(2)} s; peak RSS ${result.peakRssMb!.toFixed(0)} MB`);
    }
  }

  const report: BenchReport = {
    startedAt: started.toISOString(),
    environment,
    restore,
    unavailable,
    planner,
    totalSeconds: (Date.now() - started.getTime()) / 1000,
  };
  const markdown = renderMarkdown(report);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, started.toISOString().replace(/:/g, '-').replace(/\.\d{3}Z$/, 'Z'));
  writeFileSync(`${stem}.json`, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(`${stem}.md`, markdown);
  process.stdout.write(markdown + '\n');
  log(`saved ${stem}.json and ${stem}.md`);
}

/**
 * Runs a case `times` times and keeps the run with the median CPU time, with every run's CPU time
 * attached: on a shared machine even CPU times move by a few tens of percent.
 */
async function medianOf(times: number, run: () => Promise<PlannerResult>): Promise<PlannerResult> {
  const results: PlannerResult[] = [];
  for (let i = 0; i < times; i++) {
    const r = await run();
    if (r.error) return r;
    results.push(r);
  }
  const sorted = [...results].sort((a, b) => a.cpuSeconds! - b.cpuSeconds!);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], runCpuSeconds: results.map((r) => r.cpuSeconds!) };
}

/** What the numbers were measured on: they are only comparable on the same setup. */
function describeEnvironment(): Record<string, string> {
  const probe = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unavailable';
    }
  };
  const python = process.env.SITEDR_PYTHON ?? 'python3';
  const pyVersion = (module: string) => probe(python, ['-c', `import importlib.metadata as m; print(m.version('${module}'))`]);
  return {
    commit: probe('git', ['rev-parse', '--short', 'HEAD']) + (probe('git', ['status', '--porcelain', '--', 'bin', 'lambda']) ? ' (engine files modified)' : ''),
    node: process.version,
    python: probe(python, ['--version']),
    moto: pyVersion('moto'),
    boto3: pyVersion('boto3'),
    's3-pit-restore': pyVersion('s3-pit-restore'),
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
    // Other work on the machine slows every timing here (not the call counts).
    'load average at start (1/5/15 min)': loadavg().map((l) => l.toFixed(1)).join(' / '),
  };
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
