/**
 * Failover runbook: move the site's hostname to the standby distribution (failover) or back to the
 * primary (failback). CloudFront routes by Host header, so this is what moves traffic; DNS
 * failover records only matter if the primary distribution itself is gone.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { moveAlias, MoveAliasResult } from '../aws/cloudfront';
import { logger, tracer } from '../shared/powertools';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
const eventSchema = z.object({ direction: z.enum(['failover', 'failback']) });

export async function handler(event: unknown): Promise<MoveAliasResult & { alias: string; targetDistributionId: string; direction: string }> {
  const { direction } = parseInput(eventSchema, event);
  const alias = setting(SETTINGS.siteAlias);
  const targetDistributionId = setting(direction === 'failover' ? SETTINGS.standbyDistributionId : SETTINGS.distributionId);
  const result = await moveAlias(cloudfront, { alias, targetDistributionId });
  logger.info('alias moved', { direction, alias, targetDistributionId, ...result });
  return { ...result, alias, targetDistributionId, direction };
}
