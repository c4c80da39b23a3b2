/**
 * Restore, rollback and full drill: invalidate the whole site (`/*`, one path) on both
 * distributions once per run. After a failover the standby serves the hostname; invalidating
 * both means whichever serves it never shows stale content.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { startInvalidation } from '../aws/cloudfront';
import { tracer } from '../shared/powertools';
import { parseInput } from '../shared/schemas';
import { SETTINGS, optionalSetting, setting } from '../shared/settings';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
// The execution name as caller reference: a retried task finds the invalidations it already started.
const eventSchema = z.object({ runId: z.string().min(1) });

export interface Invalidations {
  readonly invalidations: ReadonlyArray<{ readonly distributionId: string; readonly invalidationId: string; readonly status: string }>;
  /** Completed once every invalidation is. */
  readonly status: 'Completed' | 'InProgress';
}

export function overall(invalidations: Invalidations['invalidations']): Invalidations {
  return { invalidations, status: invalidations.every((i) => i.status === 'Completed') ? 'Completed' : 'InProgress' };
}

export async function handler(event: unknown): Promise<Invalidations> {
  const { runId } = parseInput(eventSchema, event);
  const ids = [setting(SETTINGS.distributionId), optionalSetting(SETTINGS.standbyDistributionId)].filter((id): id is string => id !== undefined);
  const started = [];
  for (const distributionId of ids) {
    const { invalidationId, status } = await startInvalidation(cloudfront, distributionId, runId);
    started.push({ distributionId, invalidationId, status });
  }
  return overall(started);
}
