/**
 * Validate runbook (and the end of restore, rollback and failover): the checklist over HTTP.
 * Failed checks are data here, not an exception: the state machine's Choice turns a failed
 * checklist into a ValidationFailed end, after the checklist went into the report.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { z } from 'zod';
import { distributionStatus } from '../aws/cloudfront';
import { validateSite } from '../aws/site-validator';
import type { Checklist } from '../core/checklist';
import { logger, tracer } from '../shared/powertools';
import { parseInput } from '../shared/schemas';
import { SETTINGS, numberSetting, optionalSetting, setting } from '../shared/settings';

const cloudfront = tracer.captureAWSv3Client(new CloudFrontClient({}));
const eventSchema = z.object({
  // The validate runbook passes its whole input here; the other runbooks pass { endpoint }.
  check: z
    .object({
    /** site: the public hostname. standby / primary: each distribution on its own name (before moving traffic to it). */
    endpoint: z.enum(['site', 'standby', 'primary']).default('site'),
    criticalPaths: z.array(z.string()).optional(),
    expectedIndexContains: z.string().optional(),
  }).loose(),
});

export async function handler(event: unknown): Promise<Checklist> {
  const { endpoint, criticalPaths, expectedIndexContains } = parseInput(eventSchema, event).check;
  const baseUrl = setting({ site: SETTINGS.siteUrl, standby: SETTINGS.standbyUrl, primary: SETTINGS.primaryUrl }[endpoint]);
  const distributionId = optionalSetting(endpoint === 'standby' ? SETTINGS.standbyDistributionId : SETTINGS.distributionId);
  const checklist = await validateSite({
    baseUrl,
    // The caller's paths, else the environment's configured critical paths.
    criticalPaths: criticalPaths ?? setting(SETTINGS.criticalPaths).split(','),
    expectedIndexContains,
    responseTimeLimitMs: numberSetting(SETTINGS.responseTimeLimitMs),
    distribution: distributionId ? { status: async () => (await distributionStatus(cloudfront, distributionId)).status } : undefined,
  });
  logger.info('site validated', { baseUrl, passed: checklist.passed, failed: checklist.results.filter((r) => r.status === 'fail').map((r) => r.id) });
  return checklist;
}
