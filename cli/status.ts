/**
 * `sitedr status`: the recovery posture of one environment at a glance. Each part is read on its
 * own and a part that cannot be read says so instead of failing the whole command: in a regional
 * outage (the moment status matters most) the primary region's metrics may be unreachable while
 * the runbooks and the vault in the recovery region answer.
 */
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { HeadObjectCommand, ListObjectsV2Command, S3Client, _Object } from '@aws-sdk/client-s3';
import { ExecutionListItem, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { EnvironmentConfig } from '../lib/config';
import { listSnapshotIds } from '../lambda/aws/snapshot';
import { SNAPSHOT_AGE_LIMIT_MINUTES, snapshotTime } from '../lambda/core/report';
import { manifestKeyFor } from '../lambda/core/snapshot';
import { RUNBOOK_NAMES, RunbookName } from '../lambda/shared/runbook-inputs';
import { AwsClients } from './aws-clients';
import { formatDuration, progressFromEvents } from './follow';
import { executionHistory, readS3Text, stateMachineArn } from './runbooks';

/** The site bucket's replication rule (lib/constructs/site-bucket.ts REPLICATION_RULE_ID; a test keeps them equal). */
export const REPLICATION_RULE_ID = 'replicate-everything';
/** S3 Replication Time Control's promise: 99.99 % of objects within 15 minutes. */
export const REPLICATION_LATENCY_LIMIT_SECONDS = 15 * 60;
/** Runbooks whose runs may wait for an approval. */
const APPROVAL_RUNBOOKS: readonly RunbookName[] = ['restore', 'rollback'];
const RUNS_SHOWN = 3;

export interface RunSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly status: string;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly durationSeconds: number;
}

export interface RunbookStatus {
  readonly runbook: RunbookName;
  readonly stateMachine: string;
  readonly deployed: boolean;
  readonly runs: RunSummary[];
  readonly error?: string;
}

export interface BackupStatus {
  readonly snapshotId: string | null;
  readonly takenAt: string | null;
  readonly ageMinutes: number | null;
  /** How old the newest snapshot may be (daily backups + slack); the tier RPO is met by versioning and replication. */
  readonly limitMinutes: number;
  readonly withinLimit: boolean;
}

export interface ReplicationStatus {
  /** Maximum ReplicationLatency over the last hour; null when CloudWatch has no data points. */
  readonly maxLatencySeconds: number | null;
  readonly limitSeconds: number;
  readonly withinLimit: boolean | null;
}

export interface DrillStatus {
  readonly reportUrl: string;
  readonly status: string;
  readonly startedAt: string;
  readonly rto: { readonly minutes: number; readonly targetMinutes: number; readonly met: boolean } | null;
  readonly rpo: { readonly minutes: number; readonly targetMinutes: number; readonly met: boolean } | null;
}

export interface OpenApproval {
  readonly runbook: RunbookName;
  readonly name: string;
  readonly executionArn: string;
  readonly waitingSince: string;
  readonly token: string;
  readonly approve: string;
  readonly reject: string;
}

/** A part of the status, or why it could not be read. */
export type Part<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface EnvironmentStatus {
  readonly environment: string;
  readonly region: string;
  readonly objectives: { readonly rtoMinutes: number; readonly rpoMinutes: number };
  readonly runbooks: RunbookStatus[];
  readonly backup: Part<BackupStatus>;
  readonly replication: Part<ReplicationStatus>;
  readonly drill: Part<DrillStatus | null>;
  readonly approvals: Part<OpenApproval[]>;
}

async function part<T>(read: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

function summary(e: ExecutionListItem, now: Date): RunSummary {
  const start = e.startDate ?? now;
  const stop = e.stopDate;
  return {
    name: e.name ?? '',
    executionArn: e.executionArn ?? '',
    status: e.status ?? 'UNKNOWN',
    startedAt: start.toISOString(),
    ...(stop ? { stoppedAt: stop.toISOString() } : {}),
    durationSeconds: Math.round(((stop ?? now).getTime() - start.getTime()) / 100) / 10,
  };
}

async function runbookStatus(sfn: SFNClient, config: EnvironmentConfig, runbook: RunbookName, now: Date): Promise<RunbookStatus> {
  const arn = stateMachineArn(config, runbook);
  try {
    const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: RUNS_SHOWN }));
    return { runbook, stateMachine: arn, deployed: true, runs: (out.executions ?? []).slice(0, RUNS_SHOWN).map((e) => summary(e, now)) };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'StateMachineDoesNotExist' || name === 'ResourceNotFound') return { runbook, stateMachine: arn, deployed: false, runs: [] };
    return { runbook, stateMachine: arn, deployed: true, runs: [], error: `${name}: ${(err as Error).message}` };
  }
}

async function hasManifest(s3: S3Client, vault: string, id: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: vault, Key: manifestKeyFor(id) }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

/** How far back to look for a completed snapshot among the newest ids (unfinished ones have no manifest). */
const SNAPSHOT_LOOKBACK = 10;

async function backupStatus(s3: S3Client, config: EnvironmentConfig, now: Date): Promise<BackupStatus> {
  const limitMinutes = SNAPSHOT_AGE_LIMIT_MINUTES;
  const vault = config.bucketNames.vault;
  for (const id of (await listSnapshotIds(s3, vault)).slice(0, SNAPSHOT_LOOKBACK)) {
    const takenAt = snapshotTime(id);
    // A snapshot without a manifest never completed: it is not a backup anyone can restore.
    if (!takenAt || !(await hasManifest(s3, vault, id))) continue;
    const ageMinutes = Math.round(((now.getTime() - Date.parse(takenAt)) / 60000) * 10) / 10;
    return { snapshotId: id, takenAt, ageMinutes, limitMinutes, withinLimit: ageMinutes <= limitMinutes };
  }
  return { snapshotId: null, takenAt: null, ageMinutes: null, limitMinutes, withinLimit: false };
}

async function replicationStatus(clients: AwsClients, config: EnvironmentConfig, now: Date): Promise<ReplicationStatus> {
  const out = await clients.cloudwatch(config.primaryRegion).send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Dimensions: [
        { Name: 'SourceBucket', Value: config.bucketNames.content },
        { Name: 'DestinationBucket', Value: config.bucketNames.replica },
        { Name: 'RuleId', Value: REPLICATION_RULE_ID },
      ],
      StartTime: new Date(now.getTime() - 3600_000),
      EndTime: now,
      Period: 300,
      Statistics: ['Maximum'],
    }),
  );
  const points = (out.Datapoints ?? []).map((d) => d.Maximum).filter((v): v is number => typeof v === 'number');
  const max = points.length > 0 ? Math.max(...points) : null;
  return { maxLatencySeconds: max, limitSeconds: REPLICATION_LATENCY_LIMIT_SECONDS, withinLimit: max === null ? null : max <= REPLICATION_LATENCY_LIMIT_SECONDS };
}

async function newestDrillReport(s3: S3Client, vault: string): Promise<DrillStatus | null> {
  let newest: _Object | undefined;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: 'reports/drill/', ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (!o.Key?.endsWith('.json')) continue;
      // Newest by write time (scheduled runs and CLI runs name their reports differently); the key
      // (date first) breaks ties within the listing's one-second resolution.
      const t = o.LastModified?.getTime() ?? 0;
      const n = newest?.LastModified?.getTime() ?? 0;
      if (!newest || t > n || (t === n && o.Key > newest.Key!)) newest = o;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!newest?.Key) return null;
  const url = `s3://${vault}/${newest.Key}`;
  const report = JSON.parse(await readS3Text(s3, url)) as { status?: string; startedAt?: string; rto?: DrillStatus['rto']; rpo?: DrillStatus['rpo'] };
  const measure = (m: DrillStatus['rto'] | undefined) => (m ? { minutes: m.minutes, targetMinutes: m.targetMinutes, met: m.met } : null);
  return { reportUrl: url, status: report.status ?? 'UNKNOWN', startedAt: report.startedAt ?? '', rto: measure(report.rto), rpo: measure(report.rpo) };
}

async function openApprovals(sfn: SFNClient, config: EnvironmentConfig, runbooks: readonly RunbookStatus[]): Promise<OpenApproval[]> {
  const approvals: OpenApproval[] = [];
  for (const rb of runbooks.filter((r) => r.deployed && APPROVAL_RUNBOOKS.includes(r.runbook))) {
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: rb.stateMachine, statusFilter: 'RUNNING' }));
    for (const e of running.executions ?? []) {
      const state = progressFromEvents(await executionHistory(sfn, e.executionArn!));
      const step = state.steps[state.steps.length - 1];
      if (step?.name !== 'RequestApproval' || step.status !== 'running' || !state.approvalToken) continue;
      const token = state.approvalToken;
      approvals.push({
        runbook: rb.runbook,
        name: e.name ?? '',
        executionArn: e.executionArn!,
        waitingSince: step.startedAt.toISOString(),
        token,
        approve: `sitedr approve ${token} --env ${config.name}`,
        reject: `sitedr reject ${token} --env ${config.name} --reason "..."`,
      });
    }
  }
  return approvals;
}

export async function environmentStatus(clients: AwsClients, config: EnvironmentConfig, now: Date): Promise<EnvironmentStatus> {
  const sfn = clients.sfn(config.recoveryRegion);
  const vaultS3 = clients.s3(config.vault.region);
  const runbooks = await Promise.all(RUNBOOK_NAMES.map((r) => runbookStatus(sfn, config, r, now)));
  const [backup, replication, drill, approvals] = await Promise.all([
    part(() => backupStatus(vaultS3, config, now)),
    part(() => replicationStatus(clients, config, now)),
    part(() => newestDrillReport(vaultS3, config.bucketNames.vault)),
    part(() => openApprovals(sfn, config, runbooks)),
  ]);
  return {
    environment: config.name,
    region: config.recoveryRegion,
    objectives: { rtoMinutes: config.tier.rtoMinutes, rpoMinutes: config.tier.rpoMinutes },
    runbooks,
    backup,
    replication,
    drill,
    approvals,
  };
}

function minutes(m: number): string {
  return formatDuration(m * 60_000);
}

/** The human rendering of a status (pure). */
export function renderStatus(s: EnvironmentStatus): string {
  const out: string[] = [];
  out.push(`Environment ${s.environment} (runbooks in ${s.region}; RTO < ${s.objectives.rtoMinutes} min, RPO < ${s.objectives.rpoMinutes} min)`);
  out.push('', 'Runbooks (last runs):');
  for (const rb of s.runbooks) {
    if (!rb.deployed) out.push(`  ${rb.runbook.padEnd(16)} not deployed`);
    else if (rb.error) out.push(`  ${rb.runbook.padEnd(16)} cannot list runs: ${rb.error}`);
    else if (rb.runs.length === 0) out.push(`  ${rb.runbook.padEnd(16)} no runs yet`);
    else
      rb.runs.forEach((r, i) =>
        out.push(`  ${(i === 0 ? rb.runbook : '').padEnd(16)} ${r.status.padEnd(9)} ${r.startedAt.slice(0, 19).replace('T', ' ')}Z  ${formatDuration(r.durationSeconds * 1000).padEnd(12)} ${r.name}`),
      );
  }
  out.push('');
  if (!s.backup.ok) out.push(`Newest backup: cannot read the vault: ${s.backup.error}`);
  else if (!s.backup.value.snapshotId) out.push('Newest backup: ✗ none in the vault');
  else {
    const b = s.backup.value;
    out.push(`Newest backup: ${b.withinLimit ? '✓' : '✗'} ${b.snapshotId}, ${minutes(b.ageMinutes!)} old (daily backups: limit ${minutes(b.limitMinutes)}${b.withinLimit ? '' : ': EXCEEDED'})`);
  }
  if (!s.replication.ok) out.push(`Replication latency: cannot read CloudWatch: ${s.replication.error}`);
  else {
    const r = s.replication.value;
    out.push(r.maxLatencySeconds === null ? 'Replication latency: no data in the last hour' : `Replication latency: ${r.withinLimit ? '✓' : '✗'} max ${r.maxLatencySeconds} s in the last hour (limit ${r.limitSeconds} s)`);
  }
  if (!s.drill.ok) out.push(`Last drill: cannot read the vault: ${s.drill.error}`);
  else if (!s.drill.value) out.push('Last drill: none reported');
  else {
    const d = s.drill.value;
    const m = (label: string, x: DrillStatus['rto']) => (x ? `${label} ${x.minutes} min (target < ${x.targetMinutes}) ${x.met ? '✓' : '✗'}` : `${label} not measured`);
    out.push(`Last drill: ${d.status} ${d.startedAt.slice(0, 19).replace('T', ' ')}Z; ${m('RTO', d.rto)}; ${m('RPO', d.rpo)}`);
  }
  if (!s.approvals.ok) out.push(`Open approvals: cannot read: ${s.approvals.error}`);
  else if (s.approvals.value.length === 0) out.push('Open approvals: none');
  else {
    out.push('Open approvals:');
    for (const a of s.approvals.value) out.push(`  ${a.runbook} ${a.name} waiting since ${a.waitingSince.slice(0, 19).replace('T', ' ')}Z`, `    ${a.approve}`, `    ${a.reject}`);
  }
  return out.join('\n') + '\n';
}
