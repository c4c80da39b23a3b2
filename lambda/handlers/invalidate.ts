/** Restore and rollback runbooks: invalidate the whole site (`/*`, one path) once per run. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { startInvalidation } from '../aws/cloudfront';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
// The execution name as caller reference: a retried task finds the invalidation it already started.
const eventSchema = z.object({ runId: z.string().min(1) });

export async function handler(event: unknown): Promise<{ distributionId: string; invalidationId: string; status: string }> {
  const { runId } = parseInput(eventSchema, event);
  const distributionId = setting(SETTINGS.distributionId);
  const started = await startInvalidation(cloudfront, distributionId, runId);
  return { distributionId, invalidationId: started.invalidationId, status: started.status };
}
