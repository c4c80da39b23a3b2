/**
 * A stored plan cut into batches for Step Functions: each batch is one small S3 object that one
 * Map iteration executes and verifies, and an index (a JSON array) that a Distributed Map reads
 * with ItemReader. Payloads stay small however large the site is.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { Plan, PlanOp } from '../core/plan';
import { planOpSchema } from '../core/manifests';
import { S3Location, joinKey } from '../core/s3url';
import { InvalidInput } from '../shared/errors';
import { getText, putText } from './records';
import { mapWithConcurrency } from '../core/concurrency';

/** What a Map iteration receives: where its operations are. */
export interface BatchRef {
  readonly index: number;
  readonly bucket: string;
  readonly key: string;
  readonly operations: number;
}

const batchSchema = z.object({
  format: z.literal('sitedr-batch/1'),
  planId: z.string(),
  target: z.object({ bucket: z.string(), prefix: z.string() }),
  ops: z.array(planOpSchema),
});

export interface StoredBatches {
  readonly index: S3Location;
  readonly batches: BatchRef[];
}

/** Batch size that keeps the number of batches (and so Map results) at or under `maxBatches`. */
export function batchSizeFor(operations: number, minBatchSize: number, maxBatches = 1000): number {
  return Math.max(minBatchSize, Math.ceil(operations / maxBatches));
}

/** Cuts the plan into batches under `root` (`<root>batches/00000.json`...) and writes the index. */
export async function storeBatches(s3: S3Client, plan: Plan, root: S3Location, batchSize: number): Promise<StoredBatches> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInput('batchSize', 'a positive integer', `batch size ${batchSize} is not a positive integer`);
  const slices: PlanOp[][] = [];
  for (let i = 0; i < plan.ops.length; i += batchSize) slices.push(plan.ops.slice(i, i + batchSize) as PlanOp[]);
  const batches: BatchRef[] = slices.map((ops, index) => ({
    index,
    bucket: root.bucket,
    key: joinKey(root.key, `batches/${String(index).padStart(5, '0')}.json`),
    operations: ops.length,
  }));
  await mapWithConcurrency(slices, 16, (ops, i) =>
    putText(s3, batches[i], JSON.stringify({ format: 'sitedr-batch/1', planId: plan.id, target: plan.target, ops }), 'application/json'),
  );
  const index = { bucket: root.bucket, key: joinKey(root.key, 'batches.json') };
  await putText(s3, index, JSON.stringify(batches), 'application/json');
  return { index, batches };
}

export async function loadBatch(s3: S3Client, ref: BatchRef): Promise<{ planId: string; target: { bucket: string; prefix: string }; ops: PlanOp[] }> {
  const text = await getText(s3, ref, 'batch');
  const parsed = batchSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new InvalidInput('batch', 'a sitedr-batch/1 document', `batch ${ref.key} is malformed: ${parsed.error.issues[0].message}`);
  return { planId: parsed.data.planId, target: parsed.data.target, ops: parsed.data.ops as PlanOp[] };
}
