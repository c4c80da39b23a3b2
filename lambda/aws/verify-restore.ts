/** Verification after execution: list the planned keys again and compare with the plan. */
import { S3Client } from '@aws-sdk/client-s3';
import type { PlanOp } from '../core/plan';
import { commonPrefix } from '../core/s3url';
import { compareWithPlan, intendedState, needsCopyMarkerCheck } from '../core/verify';
import { VersionEntry, currentVersion } from '../core/versions';
import type { Mismatch } from '../shared/errors';
import { readCopyMarker } from './copy';
import { listHistories } from './listing';

export interface RestoreVerification {
  readonly checked: number;
  readonly mismatches: Mismatch[];
}

/**
 * Compares every planned key's current version with the plan's intended content (version id, or
 * size + ETag; the copy marker for multipart copies). Lists only under the planned keys' common
 * prefix: list pages, not a call per key.
 */
export async function verifyRestore(s3: S3Client, bucket: string, ops: readonly PlanOp[]): Promise<RestoreVerification> {
  if (ops.length === 0) return { checked: 0, mismatches: [] };
  const planned = new Set(ops.map((op) => op.key));
  const current = new Map<string, VersionEntry | undefined>();
  for await (const history of listHistories(s3, bucket, commonPrefix(planned))) {
    if (planned.has(history.key)) current.set(history.key, currentVersion(history));
  }
  const confirmed = new Set<string>();
  for (const op of ops) {
    const now = current.get(op.key);
    const intended = intendedState(op);
    if (intended.present && now && needsCopyMarkerCheck(intended, now) && (await readCopyMarker(s3, bucket, op.key, now.versionId)) === intended.etag) {
      confirmed.add(op.key);
    }
  }
  return { checked: ops.length, mismatches: compareWithPlan(ops, current, confirmed) };
}
