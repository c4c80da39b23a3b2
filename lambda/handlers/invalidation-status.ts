/** Polled by the runbook (Wait + Choice) until the invalidation is Completed. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { invalidationStatus } from '../aws/cloudfront';
import { parseInput } from '../shared/schemas';
import { tracer } from '../shared/powertools';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
const eventSchema = z.object({ distributionId: z.string().min(1), invalidationId: z.string().min(1) });

export async function handler(event: unknown): Promise<{ distributionId: string; invalidationId: string; status: string }> {
  const { distributionId, invalidationId } = parseInput(eventSchema, event);
  return { distributionId, invalidationId, status: await invalidationStatus(cloudfront, distributionId, invalidationId) };
}
