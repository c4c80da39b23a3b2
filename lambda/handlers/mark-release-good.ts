/** Backup runbook, release mode: a release whose validation passed becomes a rollback target. */
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { markReleaseGood } from '../aws/releases';
import { parseInput } from '../shared/schemas';
import { releaseId } from '../shared/runbook-inputs';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const s3 = tracer.captureAWSv3Client(createS3Client());
const eventSchema = z.object({ releaseId, validation: z.object({ passed: z.literal(true), checkedAt: z.string() }).loose() });

export async function handler(event: unknown): Promise<{ releaseId: string; good: true }> {
  const { releaseId: id, validation } = parseInput(eventSchema, event);
  await markReleaseGood(s3, setting(SETTINGS.vaultBucket), id, { checkedAt: validation.checkedAt }, new Date());
  return { releaseId: id, good: true };
}
