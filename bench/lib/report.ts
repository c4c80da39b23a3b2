/**
 * Turns measured results into the Markdown tables printed by `npm run bench` and saved under
 * bench/results/. Nothing here is a number of its own: every cell comes from the run.
 */
import type { PlannerResult } from './planner-bench';
import type { RestoreBenchResult, ScenarioResult, ToolResult } from './restore-bench';

export interface Targets {
  /** a: our calls at most this multiple of the minimum. */
  readonly maxCallsOverMinimum: number;
  /** b: at 1 % changed, s3-pit-restore makes at least this many times our calls. */
  readonly minCallRatioVsPit: number;
  /** c: planner wall time and peak memory at 1M keys x 5 versions. */
  readonly plannerMaxSeconds: number;
  readonly plannerMaxRssMb: number;
}

export const TARGETS: Targets = { maxCallsOverMinimum: 1.05, minCallRatioVsPit: 20, plannerMaxSeconds: 5, plannerMaxRssMb: 300 };

export interface BenchReport {
  readonly startedAt: string;
  readonly environment: Record<string, string>;
  readonly restore?: RestoreBenchResult;
  readonly unavailable: Record<string, string>;
  readonly planner: PlannerResult[];
  readonly totalSeconds: number;
}

export function renderMarkdown(r: BenchReport): string {
  const out: string[] = [];
  out.push(`# Benchmark run ${r.startedAt}`, '');
  out.push(table(['environment', ''], Object.entries(r.environment).map(([k, v]) => [k, v])), '');
  for (const [tool, why] of Object.entries(r.unavailable)) out.push(`**${tool} not run:** ${why}`, '');

  if (r.restore) {
    const rs = r.restore;
    out.push(
      `## Point-in-time restore: API calls (a) and s3-pit-restore side by side (b)`,
      '',
      `${rs.scenarios[0]?.keys ?? 0} keys x 5 listing entries, restored to T = ${rs.at}; ` +
        `history seeded with ${rs.seedWrites} writes in ${rs.seedSeconds.toFixed(0)} s (not counted). ` +
        `Targets: sitedr calls <= ${TARGETS.maxCallsOverMinimum} x minimum; at 1 % changed s3-pit-restore makes >= ${TARGETS.minCallRatioVsPit} x our calls.`,
      '',
    );
    out.push(
      table(
        ['changed', 'changed keys', 'list pages', 'minimum calls', 'sitedr calls', 'sitedr / minimum', 's3-pit-restore calls', 'calls: pit / sitedr', 'sitedr wall s', 's3-pit-restore wall s', 'wall: pit / sitedr', 'keys wrong after (sitedr / pit)'],
        rs.scenarios.map((s) => scenarioRow(s)),
      ),
      '',
    );
    const startup = Object.entries(rs.startupMs).map(([tool, ms]) => `${tool} ${(ms / 1000).toFixed(1)} s`);
    if (startup.length) out.push(`Process start-up alone (\`--help\`), included in the wall times above: ${startup.join(', ')}.`, '');

    out.push('### Calls by operation', '');
    const rows: string[][] = [];
    for (const s of rs.scenarios) {
      for (const t of s.tools) {
        if (t.callsByOperation) rows.push([pct(s.changedShare), t.tool, 'restore', ops(t.callsByOperation)]);
        if (t.rerunCallsByOperation) rows.push([pct(s.changedShare), t.tool, 'same restore again', ops(t.rerunCallsByOperation)]);
      }
    }
    out.push(table(['changed', 'tool', 'run', 'calls by operation'], rows), '');

    const summaries = rs.scenarios.flatMap((s) => s.tools.filter((t) => t.summary).map((t) => [pct(s.changedShare), '`' + JSON.stringify(briefSummary(t.summary!)) + '`']));
    if (summaries.length) out.push('### sitedr `--json` summaries (abridged; in full in the JSON)', '', table(['changed', 'summary'], summaries), '');
    const errors = rs.scenarios.flatMap((s) => s.tools.filter((t) => t.error).map((t) => `- ${pct(s.changedShare)} ${t.tool} (exit ${t.exitCode}):\n\n\`\`\`\n${t.error}\n\`\`\``));
    if (errors.length) out.push('### Failures', '', ...errors, '');
  }

  if (r.planner.length) {
    out.push(
      '## Planner alone on a synthetic listing (c)',
      '',
      `Target: under ${TARGETS.plannerMaxSeconds} s and ${TARGETS.plannerMaxRssMb} MB peak RSS at 1,000,000 keys x 5 versions. ` +
        '`listing` generates and drains the synthetic pages only (the harness); `stream` feeds them to the engine ' +
        '(`groupByKey` -> `planPointInTime`) with an `onOp` callback taking each operation as it is planned; `plan` is the ' +
        'same without `onOp`, so the returned plan holds every operation. Times are CPU seconds of the child process (wall ' +
        'seconds beside them swing with whatever else the machine runs); the planner\'s own time is the run\'s minus the ' +
        'listing\'s, and the time target is judged on it. Each case ran several times; the table shows the run with the median ' +
        'CPU time (every run in the JSON).',
      '',
      table(
        ['run', 'keys', 'versions', 'changed', 'CPU s', 'wall s', "planner's own CPU s", 'versions / s (own)', 'peak RSS MB', 'start RSS MB', 'peak heap used MB', 'ops streamed', 'ops held', 'load avg', 'targets'],
        r.planner.map((p) => plannerRow(p, r.planner.find((q) => q.mode === 'listing' && q.keys === p.keys && q.changedShare === p.changedShare))),
      ),
      '',
    );
  }
  out.push(`Total benchmark time: ${r.totalSeconds.toFixed(0)} s.`, '');
  return out.join('\n');
}

function scenarioRow(s: ScenarioResult): string[] {
  const ours = s.tools.find((t) => t.tool === 'sitedr');
  const pit = s.tools.find((t) => t.tool === 's3-pit-restore');
  const oursOk = ours && ours.exitCode === 0 && ours.calls !== undefined;
  const overMin = oursOk ? ours.calls! / s.minimumCalls : undefined;
  const callRatio = oursOk && pit?.calls !== undefined ? pit.calls / ours.calls! : undefined;
  const wallRatio = oursOk && pit?.wallMs !== undefined ? pit.wallMs / ours.wallMs! : undefined;
  const mark = (ok: boolean) => (ok ? ' ✅' : ' ❌');
  return [
    pct(s.changedShare),
    String(s.changedKeys),
    String(s.listPages),
    String(s.minimumCalls),
    cell(ours, (t) => String(t.calls)),
    overMin === undefined ? '-' : overMin.toFixed(3) + mark(overMin <= TARGETS.maxCallsOverMinimum),
    cell(pit, (t) => String(t.calls)),
    callRatio === undefined ? '-' : callRatio.toFixed(1) + (s.changedShare === 0.01 ? mark(callRatio >= TARGETS.minCallRatioVsPit) : ''),
    cell(ours, (t) => (t.wallMs! / 1000).toFixed(1)),
    cell(pit, (t) => (t.wallMs! / 1000).toFixed(1)),
    wallRatio === undefined ? '-' : wallRatio.toFixed(1),
    `${cell(ours, (t) => String(t.wrongKeys))} / ${cell(pit, (t) => String(t.wrongKeys))}`,
  ];
}

function plannerRow(p: PlannerResult, listing: PlannerResult | undefined): string[] {
  if (p.error) return [p.mode, String(p.keys), '-', pct(p.changedShare), `error: ${p.error.split('\n')[0]}`, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const own = p.mode !== 'listing' && listing?.cpuSeconds !== undefined ? p.cpuSeconds! - listing.cpuSeconds : undefined;
  const small = p.peakRssMb! < TARGETS.plannerMaxRssMb;
  return [
    p.mode,
    p.keys.toLocaleString('en-US'),
    p.entries!.toLocaleString('en-US'),
    pct(p.changedShare),
    p.cpuSeconds!.toFixed(2),
    p.seconds!.toFixed(2),
    own === undefined ? '-' : own.toFixed(2),
    own === undefined ? '-' : Math.round(p.entries! / own).toLocaleString('en-US'),
    p.peakRssMb!.toFixed(0),
    p.baselineRssMb!.toFixed(0),
    p.peakHeapUsedMb!.toFixed(0),
    p.streamedOps === undefined ? '-' : p.streamedOps.toLocaleString('en-US'),
    p.planOps === undefined ? '-' : p.planOps.toLocaleString('en-US'),
    p.loadAverage1m === undefined ? '-' : p.loadAverage1m.toFixed(1),
    p.mode !== 'listing' ? `time ${own !== undefined && own < TARGETS.plannerMaxSeconds ? '✅' : '❌'} memory ${small ? '✅' : '❌'}` : '',
  ];
}

/** The parts of our CLI's summary a reader of the table needs: outcome, counts, verification. */
function briefSummary(summary: Record<string, unknown>): Record<string, unknown> {
  const { ok, counts, verification } = summary as { ok?: unknown; counts?: unknown; verification?: { checked?: unknown; mismatches?: unknown[] } | null };
  return { ok, counts, verification: verification ? { checked: verification.checked, mismatches: verification.mismatches?.length } : verification };
}

/** A tool's cell: its value, `skipped`, or `failed` (exit code) so a broken run never looks like a number. */
function cell(t: ToolResult | undefined, value: (t: ToolResult) => string): string {
  if (!t) return 'n/a';
  if (t.skipped) return 'skipped';
  if (t.exitCode !== 0) return `failed (exit ${t.exitCode}) ${value(t)}`;
  return value(t);
}

function ops(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}

function pct(share: number): string {
  return `${+(share * 100).toFixed(2)} %`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
