/** Backup and drill runbooks: prove a snapshot is complete (every manifest entry present, size and checksum). */
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { verifySnapshot } from '../aws/snapshot';
import { VerificationFailed } from '../shared/errors';
import { parseInput, snapshotId } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const s3 = tracer.captureAWSv3Client(createS3Client());
const eventSchema = z.object({ snapshotId });

export async function handler(event: unknown): Promise<{ readonly snapshotId: string; readonly checked: number }> {
  const { snapshotId: id } = parseInput(eventSchema, event);
  const result = await verifySnapshot(s3, setting(SETTINGS.vaultBucket), id);
  if (result.mismatches.length > 0) throw new VerificationFailed(result.mismatches, `snapshot ${id} verification`);
  return { snapshotId: id, checked: result.checked };
}
