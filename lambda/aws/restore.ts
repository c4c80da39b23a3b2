/**
 * A whole restore in one call, as the operator CLI runs it: plan, record the plan and the undo
 * manifest, execute, verify, record the result. The Step Functions runbook runs the same steps as
 * separate tasks (buildRestorePlan, writeUndoManifest, executePlan, verifyRestore).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { undoManifestFor } from '../core/manifests';
import type { Plan, PlanSummary } from '../core/plan';
import { formatS3Url, parseS3Url } from '../core/s3url';
import { timeStamp } from '../core/snapshot';
import { InvalidInput, Mismatch } from '../shared/errors';
import { RestoreRequest } from '../shared/schemas';
import { executePlan, ExecuteReport } from './execute';
import { buildRestorePlan } from './plan-sources';
import { putText, readUndoManifest, runLocations, storePlan, writeUndoManifest } from './records';
import { verifyRestore } from './verify-restore';

export interface RestoreContext {
  readonly now?: Date;
  readonly runId?: string;
  readonly onPlan?: (plan: Plan) => void;
  readonly onProgress?: (done: number, total: number) => void;
  /** For tests of the multipart path. */
  readonly partSizeBytes?: number;
}

export interface RestoreResult {
  readonly ok: boolean;
  readonly runId: string;
  readonly dryRun: boolean;
  readonly target: { readonly bucket: string; readonly prefix: string };
  readonly source: RestoreRequest['source'];
  readonly plan: PlanSummary;
  readonly counts: { copied: number; hidden: number; unhidden: number; unchanged: number; skipped: number; failed: number };
  readonly bytes: { copied: number; unchanged: number };
  readonly undoManifest: string | null;
  readonly planLocation: string | null;
  readonly resultLocation: string | null;
  readonly verification: { readonly checked: number; readonly mismatches: Mismatch[] } | null;
  readonly failures: ExecuteReport['failed'];
  /** Set when ok is false: the named error a caller matches on. */
  readonly error?: { readonly name: 'ExecutionFailed' | 'VerificationFailed'; readonly message: string };
}

/** Run ids sort by start time, like snapshot ids. */
export function newRunId(now: Date): string {
  return `${timeStamp(now)}-${randomBytes(3).toString('hex')}`;
}

export async function runRestore(s3: S3Client, req: RestoreRequest, ctx: RestoreContext = {}): Promise<RestoreResult> {
  const now = ctx.now ?? new Date();
  const runId = ctx.runId ?? newRunId(now);
  if (!req.dryRun && !req.record) {
    throw new InvalidInput('record', 'an s3://bucket/prefix where the plan and undo manifest are kept', 'a restore must record its plan and undo manifest: give a record location (or use a dry run)');
  }
  const plan = await buildRestorePlan(s3, req, { planId: runId, now });
  ctx.onPlan?.(plan);
  const base = {
    runId,
    dryRun: req.dryRun,
    target: plan.target,
    source: req.source,
    plan: plan.summary,
  };
  if (req.dryRun) {
    return {
      ...base,
      ok: true,
      counts: { copied: 0, hidden: 0, unhidden: 0, unchanged: plan.summary.unchanged, skipped: 0, failed: 0 },
      bytes: { copied: 0, unchanged: plan.summary.unchangedBytes },
      undoManifest: null,
      planLocation: null,
      resultLocation: null,
      verification: null,
      failures: [],
    };
  }
  const where = runLocations(parseS3Url(req.record!, 'record'), runId);
  // Recorded before the first change, so the restore can be undone even if this process dies.
  await storePlan(s3, where.plan, plan);
  await writeUndoManifest(s3, where.undo, undoManifestFor(plan, runId, now));
  const report = await executePlan(s3, plan.target.bucket, plan.ops, {
    concurrency: req.concurrency,
    copyTags: req.copyTags,
    multipartThresholdBytes: req.multipartThresholdBytes,
    partSizeBytes: ctx.partSizeBytes,
    // The plan was computed from a listing moments ago in this process: its delete-marker ids are
    // known to be delete markers. Stored plans run by the handlers keep the check.
    confirmDeleteMarkers: false,
    onProgress: ctx.onProgress,
  });
  const verification = await verifyRestore(s3, plan.target.bucket, plan.ops);
  const error =
    report.failed.length > 0
      ? { name: 'ExecutionFailed' as const, message: `${report.failed.length} operation(s) failed after retries; run the same restore again to finish` }
      : verification.mismatches.length > 0
        ? { name: 'VerificationFailed' as const, message: `${verification.mismatches.length} key(s) are not in the planned state` }
        : undefined;
  const result: RestoreResult = {
    ...base,
    ok: !error,
    counts: {
      copied: report.copied,
      hidden: report.hidden,
      unhidden: report.unhidden,
      unchanged: plan.summary.unchanged,
      skipped: report.skipped,
      failed: report.failed.length,
    },
    bytes: { copied: report.copiedBytes, unchanged: plan.summary.unchangedBytes },
    undoManifest: formatS3Url(where.undo),
    planLocation: formatS3Url(where.plan),
    resultLocation: formatS3Url(where.result),
    verification,
    failures: report.failed,
    ...(error ? { error } : {}),
  };
  await putText(s3, where.result, JSON.stringify(result, null, 2), 'application/json');
  return result;
}

/**
 * Undoes a restore from its undo manifest: every key it touched shows what it showed before. The
 * undo is itself a restore, recorded next to the original run (so it can be undone too).
 */
export async function runUndo(
  s3: S3Client,
  req: { manifest: string; concurrency: number; dryRun: boolean; record?: string },
  ctx: RestoreContext = {},
): Promise<RestoreResult> {
  const loc = parseS3Url(req.manifest, 'manifest');
  const manifest = await readUndoManifest(s3, loc, 'manifest');
  const runsAt = loc.key.lastIndexOf('runs/');
  const record = req.record ?? `s3://${loc.bucket}/${runsAt >= 0 ? loc.key.slice(0, runsAt) : ''}`;
  return runRestore(
    s3,
    {
      bucket: manifest.header.bucket,
      prefix: manifest.header.prefix,
      source: { kind: 'undo', manifest: req.manifest },
      concurrency: req.concurrency,
      dryRun: req.dryRun,
      // The versions brought back carry the tags they had before the restore.
      copyTags: true,
      record,
    },
    ctx,
  );
}
