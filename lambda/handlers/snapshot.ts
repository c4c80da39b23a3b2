/** Backup runbook: an incremental snapshot of the content bucket into the vault. */
import { createS3Client } from '../aws/client';
import { createSnapshot, SnapshotResult } from '../aws/snapshot';
import { logger, tracer } from '../shared/powertools';
import { parseInput, snapshotRequest } from '../shared/schemas';
import { SETTINGS, numberSetting, setting } from '../shared/settings';

const s3 = tracer.captureAWSv3Client(createS3Client());

export async function handler(): Promise<SnapshotResult & { readonly takenAt: string }> {
  const takenAt = new Date();
  const request = parseInput(snapshotRequest, {
    bucket: setting(SETTINGS.contentBucket),
    vault: setting(SETTINGS.vaultBucket),
    concurrency: numberSetting(SETTINGS.concurrency),
    reuseMaxAgeDays: numberSetting(SETTINGS.snapshotReuseMaxAgeDays),
  });
  const result = await createSnapshot(s3, request, { now: takenAt });
  logger.info('snapshot taken', { ...result });
  return { ...result, takenAt: takenAt.toISOString() };
}
