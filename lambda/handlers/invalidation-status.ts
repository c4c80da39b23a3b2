/** Polled by the runbook (Wait + Choice) until every invalidation of the run is Completed. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { invalidationStatus } from '../aws/cloudfront';
import { tracer } from '../shared/powertools';
import { parseInput } from '../shared/schemas';
import { Invalidations, overall } from './invalidate';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
const eventSchema = z.object({
  invalidations: z.array(z.object({ distributionId: z.string().min(1), invalidationId: z.string().min(1), status: z.string() })).min(1),
});

export async function handler(event: unknown): Promise<Invalidations> {
  const { invalidations } = parseInput(eventSchema, event);
  const now = [];
  for (const i of invalidations) {
    now.push({ ...i, status: i.status === 'Completed' ? i.status : await invalidationStatus(cloudfront, i.distributionId, i.invalidationId) });
  }
  return overall(now);
}
