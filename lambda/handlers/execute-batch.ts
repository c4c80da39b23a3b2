/**
 * One Map iteration of a restore: apply one batch of the stored plan, then verify that batch.
 * Re-running a batch (a Step Functions retry, or the whole run started again) skips what is
 * already done, so it converges without duplicate copies.
 */
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { executePlan } from '../aws/execute';
import { loadBatch } from '../aws/plan-batches';
import { verifyRestore } from '../aws/verify-restore';
import { ExecutionFailed, VerificationFailed } from '../shared/errors';
import { logger, tracer } from '../shared/powertools';
import { concurrency, parseInput } from '../shared/schemas';
import type { BatchCounts } from '../core/report';
import { SETTINGS, numberSetting } from '../shared/settings';

const s3 = tracer.captureAWSv3Client(createS3Client());

const eventSchema = z.object({
  batch: z.object({ index: z.number().int().min(0), bucket: z.string(), key: z.string(), operations: z.number().int() }),
  concurrency: concurrency.optional(),
});

/** One Map iteration's output: the counts the report adds up. */
export interface BatchResult extends BatchCounts {
  readonly index: number;
}

export async function handler(event: unknown): Promise<BatchResult> {
  const { batch, concurrency: requested } = parseInput(eventSchema, event);
  const { target, ops } = await loadBatch(s3, batch);
  const report = await executePlan(s3, target.bucket, ops, {
    concurrency: requested ?? numberSetting(SETTINGS.concurrency),
    // A stored plan may be retried or re-run: look before acting, and prove a delete marker is one.
    recheck: true,
    confirmDeleteMarkers: true,
  });
  if (report.failed.length > 0) throw new ExecutionFailed(report.failed);
  const verification = await verifyRestore(s3, target.bucket, ops);
  if (verification.mismatches.length > 0) throw new VerificationFailed(verification.mismatches, `batch ${batch.index} verification`);
  logger.info('batch applied and verified', { index: batch.index, operations: ops.length, copied: report.copied, skipped: report.skipped });
  return {
    index: batch.index,
    copied: report.copied,
    hidden: report.hidden,
    unhidden: report.unhidden,
    skipped: report.skipped,
    copiedBytes: report.copiedBytes,
    verified: verification.checked,
  };
}
