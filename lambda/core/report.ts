/**
 * Run reports: what a runbook run did, measured against the tier's objectives, as JSON (for
 * machines and the CLI) and Markdown (for people), with a Mermaid gantt timeline. Pure.
 */
import type { Checklist } from './checklist';
import type { IncidentMessage, IncidentSeverity } from './incident';
import { renderChecklist } from './checklist';
import type { PlanSummary } from './plan';
import { formatBytes, renderSummary } from './render';

/** One step of the run, from the execution history (or the local runner's event log). */
export interface TimelineStep {
  readonly name: string;
  readonly startedAt: string;
  readonly endedAt: string;
  /** running: not finished when the report was written (the report step itself, for one). */
  readonly status: 'succeeded' | 'failed' | 'running';
}

export interface Objectives {
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
}

export interface Measurement {
  readonly minutes: number;
  readonly targetMinutes: number;
  readonly met: boolean;
  /** What was measured, in words. */
  readonly basis: string;
}

export interface BatchCounts {
  readonly copied: number;
  readonly hidden: number;
  readonly unhidden: number;
  readonly skipped: number;
  readonly copiedBytes: number;
  readonly verified: number;
}

/** What the runbook's states produced; each part is optional because runbooks differ. */
export interface RunOutcome {
  readonly plan?: {
    readonly summary: PlanSummary;
    readonly diff: string;
    readonly planUrl: string;
    readonly undoManifestUrl: string;
    readonly targetBucket: string;
    /** When the restored content was current, where the source says so. */
    readonly restorePoint?: string;
  };
  readonly executed?: readonly BatchCounts[];
  readonly validation?: Checklist;
  readonly snapshot?: { readonly id: string; readonly count: number; readonly copied: number; readonly reused: number; readonly bytes: number; readonly takenAt?: string; readonly previous?: string | null };
  readonly release?: { readonly releaseId: string; readonly commit: string; readonly manifestUrl?: string };
  /** When the restored data was current: the point in time, the snapshot's time, the release's time. */
  readonly restorePoint?: string;
  readonly details?: Record<string, unknown>;
}

export interface ReportInput {
  readonly runbook: string;
  readonly environment: string;
  readonly runId: string;
  readonly executionArn: string;
  readonly requestedBy: string;
  readonly reason?: string;
  readonly input: Record<string, unknown>;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly objectives: Objectives;
  readonly outcome: RunOutcome;
  readonly error?: { readonly name: string; readonly cause: string };
  readonly timeline: readonly TimelineStep[];
}

export interface Report extends ReportInput {
  readonly format: 'sitedr-report/1';
  readonly durationMinutes: number;
  /** Measured recovery time (runbooks that recover: restore, rollback, drill, failover). */
  readonly rto?: Measurement;
  /** Measured recovery point: the age of the data the run restored or backed up. */
  readonly rpo?: Measurement;
  readonly totals?: BatchCounts;
  /** The one command that undoes this run's content changes. */
  readonly undo?: { readonly command: string; readonly consoleInput: Record<string, unknown> };
}

/**
 * The oldest the vault's newest snapshot may be: backups run daily, plus an hour of slack. The
 * tier's RPO (15 min in prod) is met by versioning and replication, not by the vault; measuring
 * the time between snapshots against it would report a miss every day.
 */
export const SNAPSHOT_AGE_LIMIT_MINUTES = 25 * 60;

const RECOVERY_RUNBOOKS = new Set(['restore', 'rollback', 'drill', 'failover']);

/**
 * The time a snapshot id was taken. newSnapshotId (core/snapshot) writes milliseconds
 * (`20261201T100000123Z-a1b2c3`); ids without them (`20261201T100000Z-a1b2c3`) are read too.
 * Without this, snapshot restores and drills had no restore point, so no RPO measurement.
 */
export function snapshotTime(id: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ? `.${m[7]}` : ''}Z` : undefined;
}

function minutesBetween(from: string, to: string): number {
  return Math.round(((Date.parse(to) - Date.parse(from)) / 60000) * 100) / 100;
}

export function sumBatches(batches: readonly BatchCounts[]): BatchCounts {
  return batches.reduce<BatchCounts>(
    (t, b) => ({
      copied: t.copied + b.copied,
      hidden: t.hidden + b.hidden,
      unhidden: t.unhidden + b.unhidden,
      skipped: t.skipped + b.skipped,
      copiedBytes: t.copiedBytes + b.copiedBytes,
      verified: t.verified + b.verified,
    }),
    { copied: 0, hidden: 0, unhidden: 0, skipped: 0, copiedBytes: 0, verified: 0 },
  );
}

export function buildReport(input: ReportInput): Report {
  const durationMinutes = minutesBetween(input.startedAt, input.finishedAt);
  const recovers = RECOVERY_RUNBOOKS.has(input.runbook) && input.input.dryRun !== true;
  const rto: Measurement | undefined =
    recovers && input.status === 'SUCCEEDED'
      ? {
          minutes: durationMinutes,
          targetMinutes: input.objectives.rtoMinutes,
          met: durationMinutes <= input.objectives.rtoMinutes,
          basis: 'from the start of the run to a verified (and, where a site serves it, validated) result',
        }
      : undefined;
  const rpoPoint =
    input.outcome.restorePoint ?? input.outcome.plan?.restorePoint ?? (input.runbook === 'backup' && input.outcome.snapshot?.previous ? snapshotTime(input.outcome.snapshot.previous) : undefined);
  const rpoMinutes = rpoPoint ? minutesBetween(rpoPoint, input.runbook === 'backup' ? input.outcome.snapshot?.takenAt ?? input.finishedAt : input.startedAt) : undefined;
  const rpoTarget = input.runbook === 'backup' ? SNAPSHOT_AGE_LIMIT_MINUTES : input.objectives.rpoMinutes;
  const rpo: Measurement | undefined =
    rpoMinutes !== undefined
      ? {
          minutes: rpoMinutes,
          targetMinutes: rpoTarget,
          met: rpoMinutes <= rpoTarget,
          basis:
            input.runbook === 'backup'
              ? 'time since the previous snapshot (data a vault-only recovery could lose), against the daily schedule; the tier RPO is met by versioning and replication'
              : 'age of the restored data when the run started',
        }
      : undefined;
  const undoManifest = input.outcome.plan?.undoManifestUrl;
  // A drill changes only the drill bucket, which expires on its own: nothing to undo.
  const undo =
    undoManifest && input.input.dryRun !== true && input.runbook !== 'drill'
      ? {
          command: `sitedr run restore --env ${input.environment} --undo ${undoManifest} --reason "undo ${input.runbook} ${input.runId}"`,
          consoleInput: { source: { type: 'undo', manifest: undoManifest }, reason: `undo ${input.runbook} ${input.runId}`, requestedBy: '<your name>' },
        }
      : undefined;
  return {
    ...input,
    format: 'sitedr-report/1',
    durationMinutes,
    ...(rto ? { rto } : {}),
    ...(rpo ? { rpo } : {}),
    ...(input.outcome.executed ? { totals: sumBatches(input.outcome.executed) } : {}),
    ...(undo ? { undo } : {}),
  };
}

/** Mermaid gantt of the steps; names are sanitised because Mermaid treats `:` and `#` specially. */
export function renderGantt(timeline: readonly TimelineStep[]): string {
  const lines = ['gantt', '  title Run timeline (UTC)', '  dateFormat YYYY-MM-DDTHH:mm:ss.SSSZ', '  axisFormat %H:%M:%S', '  section Steps'];
  timeline.forEach((step, i) => {
    const name = step.name.replace(/[:#;]/g, ' ').trim() || `step ${i + 1}`;
    const tag = step.status === 'failed' ? 'crit, ' : step.status === 'running' ? 'active, ' : '';
    const start = new Date(step.startedAt).toISOString();
    // Mermaid needs an end after the start; a step that took 0 ms is shown as 1 ms.
    const end = new Date(Math.max(Date.parse(step.endedAt), Date.parse(step.startedAt) + 1)).toISOString();
    lines.push(`  ${name} :${tag}s${i}, ${start}, ${end}`);
  });
  return lines.join('\n');
}

function measurementLine(label: string, m: Measurement | undefined): string {
  if (!m) return `| ${label} | not measured for this run | | |`;
  return `| ${label} | ${m.minutes} min | < ${m.targetMinutes} min | ${m.met ? '✅ met' : '❌ missed'} |`;
}

export function renderReportMarkdown(r: Report): string {
  const out: string[] = [];
  const icon = r.status === 'SUCCEEDED' ? '✅' : '❌';
  out.push(`# ${icon} ${r.runbook} ${r.status.toLowerCase()} — ${r.environment}`);
  out.push('');
  out.push(`- Run: \`${r.runId}\` (${r.executionArn})`);
  out.push(`- Requested by: ${r.requestedBy}${r.reason ? ` — "${r.reason}"` : ''}`);
  out.push(`- Started ${r.startedAt}, finished ${r.finishedAt} (${r.durationMinutes} min)`);
  if (r.error) out.push(`- Error: **${r.error.name}** — ${r.error.cause}`);
  out.push('');
  out.push('## Objectives');
  out.push('');
  out.push('| | measured | target | |');
  out.push('|---|---|---|---|');
  out.push(measurementLine('RTO', r.rto));
  out.push(measurementLine('RPO', r.rpo));
  const o = r.outcome;
  if (o.snapshot) {
    out.push('', '## Snapshot', '');
    out.push(`Snapshot \`${o.snapshot.id}\`: ${o.snapshot.count} objects (${formatBytes(o.snapshot.bytes)}), ${o.snapshot.copied} copied, ${o.snapshot.reused} reused from the previous snapshot.`);
  }
  if (o.release) out.push('', '## Release', '', `Release \`${o.release.releaseId}\` (commit ${o.release.commit})${o.release.manifestUrl ? ` — ${o.release.manifestUrl}` : ''}.`);
  if (o.plan) {
    out.push('', '## Plan', '');
    out.push(`Target \`${o.plan.targetBucket}\`. ${renderSummary(o.plan.summary)}`);
    out.push('', '```', o.plan.diff, '```');
    out.push('', `Plan: ${o.plan.planUrl}  `, `Undo manifest: ${o.plan.undoManifestUrl}`);
  }
  if (r.totals) {
    out.push('', '## Execution and verification', '');
    out.push(`${r.totals.copied} copied (${formatBytes(r.totals.copiedBytes)}), ${r.totals.hidden} hidden, ${r.totals.unhidden} un-deleted, ${r.totals.skipped} already done; ${r.totals.verified} keys verified against the plan.`);
  }
  if (o.validation) {
    out.push('', '## Validation', '', '```', renderChecklist(o.validation), '```');
  }
  if (r.undo) {
    out.push('', '## Undo', '', 'Everything this run changed can be undone (no version was deleted):', '', '```', r.undo.command, '```');
    out.push('', 'or start the restore runbook with:', '', '```json', JSON.stringify(r.undo.consoleInput, null, 2), '```');
  }
  if (r.timeline.length > 0) out.push('', '## Timeline', '', '```mermaid', renderGantt(r.timeline), '```');
  out.push('');
  return out.join('\n');
}

/**
 * Turns execution-history-like state events into steps: entered -> exited pairs by state name.
 * A state with a failure event is failed; one not exited yet is still running.
 */
export function timelineFromEvents(
  events: readonly { readonly type: string; readonly timestamp: string; readonly stateName?: string }[],
): TimelineStep[] {
  const open = new Map<string, string>();
  const failed = new Set(events.filter((e) => e.stateName && /Failed$/.test(e.type)).map((e) => e.stateName!));
  const steps: TimelineStep[] = [];
  for (const e of events) {
    if (!e.stateName) continue;
    if (/StateEntered$/.test(e.type)) open.set(e.stateName, e.timestamp);
    if (/StateExited$/.test(e.type) && open.has(e.stateName)) {
      steps.push({ name: e.stateName, startedAt: open.get(e.stateName)!, endedAt: e.timestamp, status: failed.has(e.stateName) ? 'failed' : 'succeeded' });
      open.delete(e.stateName);
    }
  }
  const last = events[events.length - 1]?.timestamp;
  for (const [name, startedAt] of open) steps.push({ name, startedAt, endedAt: last ?? startedAt, status: failed.has(name) ? 'failed' : 'running' });
  return steps.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Incident severity by environment, as the DR plan classifies them. */
const SEVERITY: Record<string, IncidentSeverity> = { prod: 'P1', staging: 'P2', dev: 'P3' };

const FAILURE_IMPACT: Record<string, string> = {
  backup: 'No new backup: the newest recovery point is getting older',
  restore: 'The site may be partly restored; the report lists what changed',
  rollback: 'The site may be partly rolled back; the report lists what changed',
  drill: 'The restore drill did not prove that the site can be recovered',
  validate: 'The site failed validation: visitors may see errors or stale content',
  failover: 'Traffic may not have moved to the standby distribution',
  'log-export': 'Last week\'s logs are not archived in the vault yet',
  'template-backup': 'The newest infrastructure templates are not in the vault yet',
};

/**
 * The incident message a run warrants, in the DR plan's templates: a failed run opens an
 * incident; a successful recovery (restore, rollback, failover) resolves one. Other successful
 * runs are routine and get no incident.
 */
export function incidentFor(report: Report, links: { readonly report: string; readonly execution: string }): IncidentMessage | undefined {
  const common = { environment: report.environment, severity: SEVERITY[report.environment] ?? 'P2', startedAt: report.startedAt, link: links.execution } as const;
  if (report.status === 'FAILED') {
    return {
      ...common,
      kind: 'initial',
      title: `${report.runbook} runbook failed (${report.error?.name ?? 'error'})`,
      status: 'Investigating',
      impact: FAILURE_IMPACT[report.runbook] ?? 'See the report',
      nextStep: `Read the report (${links.report})${report.undo ? `; undo the changes with: ${report.undo.command}` : ''}`,
    };
  }
  if (['restore', 'rollback', 'failover'].includes(report.runbook) && report.input.dryRun !== true) {
    return {
      ...common,
      kind: 'resolution',
      title: `Site recovered by the ${report.runbook} runbook`,
      status: 'Resolved',
      impact: report.outcome.validation?.passed ? 'Service restored; the site passed validation' : 'Service restored',
      resolvedAt: report.finishedAt,
      nextStep: `Post-mortem; measured RTO ${report.rto ? `${report.rto.minutes} min (target < ${report.rto.targetMinutes})` : 'n/a'}; report ${links.report}`,
    };
  }
  return undefined;
}
