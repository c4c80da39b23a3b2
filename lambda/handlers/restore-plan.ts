/**
 * Plans a restore (restore, rollback and drill runbooks): resolves the source against this
 * environment's buckets, computes the plan, records the plan and the undo manifest in the vault
 * before anything changes, and cuts the plan into batches for the Map state.
 */
import { z } from 'zod';
import { renderPlan } from '../core/render';
import { releaseManifestKey } from '../core/releases';
import { snapshotTime } from '../core/report';
import { parseS3Url } from '../core/s3url';
import { createS3Client } from '../aws/client';
import { batchSizeFor, storeBatches } from '../aws/plan-batches';
import { buildRestorePlan } from '../aws/plan-sources';
import { runLocations, storePlan, writeUndoManifest } from '../aws/records';
import { listSnapshotIds } from '../aws/snapshot';
import { undoManifestFor } from '../core/manifests';
import { formatS3Url } from '../core/s3url';
import { NotFound } from '../shared/errors';
import { logger, tracer } from '../shared/powertools';
import { runSchema } from '../shared/run';
import { restoreSourceInput, RestoreSourceInput } from '../shared/runbook-inputs';
import { parseInput, RestoreSource } from '../shared/schemas';
import { SETTINGS, numberSetting, setting } from '../shared/settings';
import type { BatchRef } from '../aws/plan-batches';
import type { PlanSummary } from '../core/plan';

const s3 = tracer.captureAWSv3Client(createS3Client());

const eventSchema = z.object({
  run: runSchema,
  source: restoreSourceInput,
  target: z.enum(['site', 'drill']).default('site'),
  prefix: z.string().default(''),
});

export interface RestorePlanResult {
  readonly planId: string;
  readonly targetBucket: string;
  readonly prefix: string;
  readonly source: RestoreSource;
  readonly summary: PlanSummary;
  /** When the restored content was current (point in time, snapshot time, release time), where known. */
  readonly restorePoint?: string;
  readonly operations: number;
  /** A short human-readable diff for the report and the approval message. */
  readonly diff: string;
  readonly planUrl: string;
  readonly undoManifestUrl: string;
  /** Batches inline for the inline Map; null when there are too many (the Distributed Map reads the index). */
  readonly batches: BatchRef[] | null;
  readonly batchCount: number;
  readonly batchIndex: { readonly bucket: string; readonly key: string };
}

export async function handler(event: unknown): Promise<RestorePlanResult> {
  const { run, source, target, prefix } = parseInput(eventSchema, event);
  const bucket = target === 'drill' ? setting(SETTINGS.drillBucket) : setting(SETTINGS.contentBucket);
  const engineSource = await resolveSource(source);
  const plan = await buildRestorePlan(s3, { bucket, prefix, source: engineSource }, { planId: run.runId, now: new Date() });
  const where = runLocations(parseS3Url(run.recordPrefix, 'run.recordPrefix'), run.runId);
  // Recorded before the first change, so the run can be undone even if a later task dies.
  await storePlan(s3, where.plan, plan);
  await writeUndoManifest(s3, where.undo, undoManifestFor(plan, run.runId, new Date()));
  const root = { bucket: where.plan.bucket, key: where.plan.key.replace(/plan\.jsonl$/, '') };
  const stored = await storeBatches(s3, plan, root, batchSizeFor(plan.ops.length, numberSetting(SETTINGS.batchSize)));
  const inline = stored.batches.length <= numberSetting(SETTINGS.inlineBatchLimit);
  logger.info('restore planned', { runId: run.runId, bucket, summary: plan.summary, batches: stored.batches.length, inline });
  return {
    planId: plan.id,
    targetBucket: bucket,
    prefix: plan.target.prefix,
    source: engineSource,
    summary: plan.summary,
    ...restorePointOf(engineSource),
    operations: plan.ops.length,
    diff: renderPlan(plan, 20),
    planUrl: formatS3Url(where.plan),
    undoManifestUrl: formatS3Url(where.undo),
    batches: inline ? stored.batches : null,
    batchCount: stored.batches.length,
    batchIndex: stored.index,
  };
}

function restorePointOf(source: RestoreSource): { restorePoint?: string } {
  if (source.kind === 'pointInTime') return { restorePoint: new Date(source.at).toISOString() };
  if (source.kind === 'snapshot') return { restorePoint: snapshotTime(source.snapshotId) };
  return {};
}

/** The runbook input names a source; the engine needs it spelled out with this environment's buckets. */
async function resolveSource(source: RestoreSourceInput): Promise<RestoreSource> {
  const vault = setting(SETTINGS.vaultBucket);
  switch (source.type) {
    case 'pointInTime':
      return { kind: 'pointInTime', at: source.at, allowEmpty: source.allowEmpty };
    case 'snapshot': {
      const snapshotId = source.snapshotId ?? (await listSnapshotIds(s3, vault))[0];
      if (!snapshotId) throw new NotFound('source.snapshotId', 'a snapshot in the vault', `the vault ${vault} holds no snapshot yet; run the backup runbook first`);
      return { kind: 'snapshot', vault, snapshotId };
    }
    case 'replica':
      return { kind: 'replica', bucket: setting(SETTINGS.replicaBucket) };
    case 'release':
      return { kind: 'release', manifest: `s3://${vault}/${releaseManifestKey(source.releaseId)}` };
    case 'version':
      return { kind: 'keyVersion', key: source.key, versionId: source.versionId };
    case 'undelete':
      return { kind: 'undelete', since: source.since };
    case 'undo':
      return { kind: 'undo', manifest: source.manifest };
  }
}
