/**
 * Deployment settings a handler reads from its environment (set by the RunbookStack). A missing or
 * malformed one is a deployment error, reported by name, never a silent default.
 */

export class MissingSetting extends Error {
  override readonly name = 'MissingSetting';
}

export function setting(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingSetting(`environment variable ${name} is not set; the runbook stack sets it on deploy`);
  return value;
}

export function optionalSetting(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function numberSetting(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(setting(name, env));
  if (!Number.isFinite(value)) throw new MissingSetting(`environment variable ${name} must be a number, got ${JSON.stringify(env[name])}`);
  return value;
}

/** Names of the variables, so the stack and the handlers cannot disagree on spelling. */
export const SETTINGS = {
  environment: 'SITEDR_ENVIRONMENT',
  rtoMinutes: 'SITEDR_RTO_MINUTES',
  rpoMinutes: 'SITEDR_RPO_MINUTES',
  contentBucket: 'SITEDR_CONTENT_BUCKET',
  replicaBucket: 'SITEDR_REPLICA_BUCKET',
  vaultBucket: 'SITEDR_VAULT_BUCKET',
  drillBucket: 'SITEDR_DRILL_BUCKET',
  distributionId: 'SITEDR_DISTRIBUTION_ID',
  standbyDistributionId: 'SITEDR_STANDBY_DISTRIBUTION_ID',
  siteUrl: 'SITEDR_SITE_URL',
  primaryUrl: 'SITEDR_PRIMARY_URL',
  standbyUrl: 'SITEDR_STANDBY_URL',
  siteAlias: 'SITEDR_SITE_ALIAS',
  approvalRequired: 'SITEDR_APPROVAL_REQUIRED',
  fullDrillAllowed: 'SITEDR_FULL_DRILL_ALLOWED',
  concurrency: 'SITEDR_CONCURRENCY',
  batchSize: 'SITEDR_BATCH_SIZE',
  inlineBatchLimit: 'SITEDR_INLINE_BATCH_LIMIT',
  responseTimeLimitMs: 'SITEDR_RESPONSE_TIME_LIMIT_MS',
  criticalPaths: 'SITEDR_CRITICAL_PATHS',
  snapshotReuseMaxAgeDays: 'SITEDR_SNAPSHOT_REUSE_MAX_AGE_DAYS',
  stackNames: 'SITEDR_STACK_NAMES',
  rollbackStacks: 'SITEDR_ROLLBACK_STACKS',
  account: 'SITEDR_ACCOUNT',
  vaultRegion: 'SITEDR_VAULT_REGION',
  cdkQualifier: 'SITEDR_CDK_QUALIFIER',
  logGroups: 'SITEDR_LOG_GROUPS',
  alertTopicArn: 'SITEDR_ALERT_TOPIC_ARN',
} as const;
