/** Failover runbook: polled until the distribution that now holds the hostname is Deployed. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { distributionStatus, DistributionState } from '../aws/cloudfront';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
const eventSchema = z.object({ distribution: z.enum(['primary', 'standby']) });

export async function handler(event: unknown): Promise<DistributionState & { distribution: 'primary' | 'standby' }> {
  const { distribution } = parseInput(eventSchema, event);
  const id = setting(distribution === 'primary' ? SETTINGS.distributionId : SETTINGS.standbyDistributionId);
  return { distribution, ...(await distributionStatus(cloudfront, id)) };
}
