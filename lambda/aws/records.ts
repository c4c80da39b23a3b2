/**
 * Run records in S3: stored plans, undo manifests and results under `<record>/runs/<runId>/`, and
 * the small text reads/writes they need.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NotFound, PlanTooLarge } from '../shared/errors';
import { decodePlan, decodeUndoManifest, encodePlan, encodeUndoManifest, UndoManifest } from '../core/manifests';
import type { Plan, PlanSummary } from '../core/plan';
import { S3Location, formatS3Url, joinKey } from '../core/s3url';
import { isNotFoundError } from './listing';
import { withRetry } from './retry';

export async function getText(s3: S3Client, loc: S3Location, field: string): Promise<string> {
  try {
    const res = await withRetry(() => s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key })));
    return await res.Body!.transformToString('utf8');
  } catch (err) {
    if (isNotFoundError(err)) throw new NotFound(field, 'an existing object', `${formatS3Url(loc)} does not exist`);
    throw err;
  }
}

/** Writes a document. The SDK adds a CRC32 checksum, which Object Lock buckets (a vault) require. */
export async function putText(s3: S3Client, loc: S3Location, text: string, contentType: string): Promise<void> {
  await withRetry(() => s3.send(new PutObjectCommand({ Bucket: loc.bucket, Key: loc.key, Body: text, ContentType: contentType, ChecksumAlgorithm: 'CRC32' })));
}

export interface RunLocations {
  readonly plan: S3Location;
  readonly undo: S3Location;
  readonly result: S3Location;
}

export function runLocations(record: S3Location, runId: string): RunLocations {
  const root = joinKey(record.key, `runs/${runId}/`);
  return {
    plan: { bucket: record.bucket, key: `${root}plan.jsonl` },
    undo: { bucket: record.bucket, key: `${root}undo.jsonl` },
    result: { bucket: record.bucket, key: `${root}result.json` },
  };
}

export async function storePlan(s3: S3Client, loc: S3Location, plan: Plan): Promise<void> {
  await putText(s3, loc, encodePlan(plan), 'application/x-ndjson');
}

export async function loadPlan(s3: S3Client, loc: S3Location, field = 'plan'): Promise<Plan> {
  return decodePlan(await getText(s3, loc, field), field);
}

export async function writeUndoManifest(s3: S3Client, loc: S3Location, manifest: UndoManifest): Promise<void> {
  await putText(s3, loc, encodeUndoManifest(manifest), 'application/x-ndjson');
}

export async function readUndoManifest(s3: S3Client, loc: S3Location, field = 'manifest'): Promise<UndoManifest> {
  return decodeUndoManifest(await getText(s3, loc, field), field);
}

/** Step Functions caps payloads at 256 KB; plans above this travel by reference. */
export const MAX_INLINE_PLAN_BYTES = 200 * 1024;

export type PlanPayload =
  | { readonly kind: 'inline'; readonly plan: Plan }
  | { readonly kind: 'stored'; readonly location: string; readonly id: string; readonly summary: PlanSummary };

/**
 * What a Step Functions task returns for a plan: the plan itself when small, otherwise its summary
 * and where it was stored as JSON Lines. Without a place to store it, a large plan is PlanTooLarge.
 */
export async function planPayload(s3: S3Client, plan: Plan, store: S3Location | undefined, maxInlineBytes = MAX_INLINE_PLAN_BYTES): Promise<PlanPayload> {
  const bytes = Buffer.byteLength(JSON.stringify(plan), 'utf8');
  if (bytes <= maxInlineBytes) return { kind: 'inline', plan };
  if (!store) throw new PlanTooLarge(bytes, maxInlineBytes);
  await storePlan(s3, store, plan);
  return { kind: 'stored', location: formatS3Url(store), id: plan.id, summary: plan.summary };
}
