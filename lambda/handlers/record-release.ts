/** Backup runbook, release mode: record what the site serves now as a release (key -> version id) for rollback. */
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { recordRelease } from '../aws/releases';
import { parseInput } from '../shared/schemas';
import { commitSha, releaseId } from '../shared/runbook-inputs';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const s3 = tracer.captureAWSv3Client(createS3Client());
const eventSchema = z.object({ release: z.object({ id: releaseId, commit: commitSha, description: z.string().optional() }) });

export async function handler(event: unknown): Promise<{ releaseId: string; commit: string; manifestUrl: string; files: number }> {
  const { release } = parseInput(eventSchema, event);
  const recorded = await recordRelease(s3, {
    bucket: setting(SETTINGS.contentBucket),
    vault: setting(SETTINGS.vaultBucket),
    releaseId: release.id,
    commit: release.commit,
    description: release.description,
    now: new Date(),
  });
  return { releaseId: release.id, commit: release.commit, ...recorded };
}
