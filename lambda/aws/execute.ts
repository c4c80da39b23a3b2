/**
 * The executor: applies a plan (or a slice of one) with bounded concurrency and retries. It adds
 * versions and delete markers, and removes delete markers; it never deletes an object version.
 */
import { DeleteObjectCommand, HeadObjectCommand, HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../core/concurrency';
import type { PlanOp, UnhideOp } from '../core/plan';
import { intendedState, isInIntendedState, needsCopyMarkerCheck } from '../core/verify';
import type { VersionEntry } from '../core/versions';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../shared/schemas';
import { InvalidInput } from '../shared/errors';
import { copyMarkerOf, copyVersion } from './copy';
import { RetryOptions, withRetry } from './retry';

export interface ExecuteOptions {
  /** Operations in flight at once. @default 64 */
  readonly concurrency?: number;
  readonly copyTags?: boolean;
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
  /**
   * Look at each key before acting and skip operations already done. For a retried slice of a
   * stored plan; a plan computed moments ago from a listing does not need it. @default false
   */
  readonly recheck?: boolean;
  /**
   * Before removing a delete marker, confirm (HEAD of that version answers 405) that it is one,
   * so a stale or altered stored plan can never delete an object version. A plan built in this
   * process straight from a listing may skip it. @default true
   */
  readonly confirmDeleteMarkers?: boolean;
  readonly retry?: RetryOptions;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExecuteReport {
  readonly copied: number;
  readonly hidden: number;
  readonly unhidden: number;
  /** Already in the target state when looked at (only with recheck). */
  readonly skipped: number;
  readonly copiedBytes: number;
  readonly failed: { readonly key: string; readonly kind: PlanOp['kind']; readonly error: string }[];
}

/** Refusal to remove something that is not a delete marker. Not retryable. */
export class UnsafeDelete extends Error {
  override readonly name = 'UnsafeDelete';
}

type Outcome = 'applied' | 'skipped';

export async function executePlan(s3: S3Client, bucket: string, ops: readonly PlanOp[], opts: ExecuteOptions = {}): Promise<ExecuteReport> {
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new InvalidInput('concurrency', `an integer from 1 to ${MAX_CONCURRENCY}`, `concurrency ${concurrency} is out of range`);
  }
  const report = { copied: 0, hidden: 0, unhidden: 0, skipped: 0, copiedBytes: 0, failed: [] as ExecuteReport['failed'] };
  let done = 0;
  await mapWithConcurrency(ops, concurrency, async (op) => {
    try {
      const outcome = await applyOp(s3, bucket, op, opts);
      if (outcome === 'skipped') report.skipped++;
      else if (op.kind === 'copy') {
        report.copied++;
        report.copiedBytes += op.size;
      } else if (op.kind === 'hide') report.hidden++;
      else report.unhidden++;
    } catch (err) {
      report.failed.push({ key: op.key, kind: op.kind, error: `${(err as Error).name}: ${(err as Error).message}` });
    }
    opts.onProgress?.(++done, ops.length);
  });
  return report;
}

async function applyOp(s3: S3Client, bucket: string, op: PlanOp, opts: ExecuteOptions): Promise<Outcome> {
  const retry = opts.retry;
  if (opts.recheck && (await alreadyDone(s3, bucket, op, retry))) return 'skipped';
  switch (op.kind) {
    case 'copy':
      await withRetry(
        () =>
          copyVersion(s3, op.from, { bucket, key: op.key }, op.size, op.etag, {
            copyTags: opts.copyTags,
            multipartThresholdBytes: opts.multipartThresholdBytes,
            partSizeBytes: opts.partSizeBytes,
          }),
        retry,
      );
      return 'applied';
    case 'hide':
      // No VersionId: this adds a delete marker and keeps every version.
      await withRetry(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: op.key })), retry);
      return 'applied';
    case 'unhide':
      await removeDeleteMarkers(s3, bucket, op, opts);
      return 'applied';
  }
}

async function removeDeleteMarkers(s3: S3Client, bucket: string, op: UnhideOp, opts: ExecuteOptions): Promise<void> {
  for (const markerId of op.deleteMarkerIds) {
    if (opts.confirmDeleteMarkers !== false) {
      const kind = await versionKind(s3, bucket, op.key, markerId, opts.retry);
      if (kind === 'gone') continue; // removed by an earlier attempt
      if (kind === 'object') throw new UnsafeDelete(`version ${markerId} of ${JSON.stringify(op.key)} is an object version, not a delete marker: refusing to delete it`);
    }
    // Deleting a delete marker by version id: the only versioned delete the engine issues.
    await withRetry(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: op.key, VersionId: markerId })), opts.retry);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** HEAD of a specific version: 200 for an object version, 405 for a delete marker, 404 when it no longer exists. */
async function versionKind(s3: S3Client, bucket: string, key: string, versionId: string, retry?: RetryOptions): Promise<'object' | 'deleteMarker' | 'gone'> {
  try {
    await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })), retry);
    return 'object';
  } catch (err) {
    const status = statusOf(err);
    if (status === 405) return 'deleteMarker';
    if (status === 404 || status === 400) return 'gone';
    throw err;
  }
}

/** The key's current version by HEAD (undefined when absent or hidden). */
export async function headCurrent(s3: S3Client, bucket: string, key: string, retry?: RetryOptions): Promise<{ entry: VersionEntry; head: HeadObjectCommandOutput } | undefined> {
  try {
    const head = await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), retry);
    const entry: VersionEntry = {
      key,
      versionId: head.VersionId ?? 'null',
      isLatest: true,
      isDeleteMarker: false,
      lastModified: head.LastModified ?? new Date(0),
      size: head.ContentLength ?? 0,
      etag: head.ETag ?? '',
    };
    return { entry, head };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

async function alreadyDone(s3: S3Client, bucket: string, op: PlanOp, retry?: RetryOptions): Promise<boolean> {
  const intended = intendedState(op);
  const current = await headCurrent(s3, bucket, op.key, retry);
  if (isInIntendedState(intended, current?.entry)) return true;
  return intended.present && needsCopyMarkerCheck(intended, current?.entry) && copyMarkerOf(current!.head) === intended.etag;
}
