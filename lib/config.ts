/**
 * The typed configuration of a protected site: read once from cdk.json context
 * (`sitedr`) in bin/app.ts, validated here, and passed down as plain props.
 * Nothing below bin/ reads context.
 */
import { z } from 'zod';
import { TIERS } from './tiers';
import type { EnvironmentName, Tier, ScheduleSettings } from './tiers';

export type { EnvironmentName, Tier } from './tiers';
export { TIERS } from './tiers';

/** Raised for any configuration problem; the message names the field and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
// Lowercase DNS name with at least two labels; CloudFront alternate domain names must be lowercase.
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SCHEDULE = /^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;

const region = z.string().regex(REGION, 'expected an AWS region name such as us-east-1');
const account = z.string().regex(ACCOUNT, 'expected a 12-digit AWS account id');
const schedule = z
  .string()
  .regex(SCHEDULE, 'expected an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(1 day)')
  .nullable();

const domainSchema = z.strictObject({
  /** The Route 53 hosted zone's name, e.g. example.com. */
  zoneName: z.string().regex(DNS_NAME, 'expected a lowercase domain name such as example.com'),
  /** The hosted zone id (Z...). */
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  /** The site's hostname, e.g. www.example.com (the zone apex is allowed). */
  recordName: z.string().regex(DNS_NAME, 'expected a lowercase hostname such as www.example.com'),
  /** An existing ACM certificate in us-east-1 covering recordName and the standby hostname; created when absent. */
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, 'expected an ACM certificate ARN in us-east-1')
    .optional(),
  /** Path the Route 53 health check requests. */
  healthCheckPath: z.string().regex(/^\/[^\s]*$/, 'expected an absolute path such as / or /health.html').default('/'),
});

const vaultSchema = z.strictObject({
  /** Account that owns the vault (the account-loss scenario); the workload account by default. */
  account: account.optional(),
  /** Region of the vault; the recovery region by default. */
  region: region.optional(),
  /** Object Lock mode of the default retention. */
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
  /** Encrypt with a customer-managed KMS key instead of S3-managed keys. */
  kmsKey: z.boolean().default(false),
});

const schedulesSchema = z.strictObject({
  backup: schedule.optional(),
  drill: schedule.optional(),
  fullDrill: schedule.optional(),
  logExport: schedule.optional(),
  templateBackup: schedule.optional(),
});

const positiveDays = z.number().int('expected a whole number of days').positive('expected at least 1 day');

const environmentSchema = z.strictObject({
  account: account.optional(),
  primaryRegion: region.optional(),
  recoveryRegion: region.optional(),
  domain: domainSchema.optional(),
  vault: vaultSchema.optional(),
  alertEmail: z.string().regex(EMAIL, 'expected an e-mail address').optional(),
  replicationStorageClass: z
    .enum(['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR'])
    .optional(),
  noncurrentVersionRetentionDays: positiveDays.optional(),
  snapshotRetentionDays: positiveDays.optional(),
  logExportRetentionDays: positiveDays.optional(),
  templateRetentionDays: positiveDays.nullable().optional(),
  healthCheckIntervalSeconds: z.union([z.literal(10), z.literal(30)]).optional(),
  waf: z
    .strictObject({
      enabled: z.boolean().optional(),
      rateLimit: z.number().int().min(10, 'expected at least 10 requests per 5 minutes (the WAF minimum)').optional(),
    })
    .optional(),
  restoreNeedsApproval: z.boolean().optional(),
  responseTimeLimitMs: z.number().int().positive().optional(),
  /** Start the failover runbook automatically when the health-check alarm fires (with a domain only). */
  automaticFailover: z.boolean().optional(),
  /** Pages that must answer 200 in every validation (the site's critical user paths). */
  criticalPaths: z.array(z.string().regex(/^\/\S*$/, 'absolute paths such as / or /about/')).min(1).max(20).optional(),
  originFailover: z
    .strictObject({
      connectionTimeoutSeconds: z.number().int().min(1).max(10).optional(),
      connectionAttempts: z.number().int().min(1).max(3).optional(),
    })
    .optional(),
  schedules: schedulesSchema.optional(),
});

const rootSchema = z.strictObject({
  /** Short name of the site, used in resource names: lowercase letters, digits, hyphens. */
  project: z.string().regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, 'expected 3-20 lowercase letters, digits or hyphens, starting with a letter'),
  /** Workload account; a placeholder is fine for `cdk synth`, `cdk deploy` needs the real one. */
  account,
  primaryRegion: region.default('us-east-1'),
  recoveryRegion: region.default('us-west-2'),
  environments: z
    .strictObject({ prod: environmentSchema.optional(), staging: environmentSchema.optional(), dev: environmentSchema.optional() })
    .refine((envs) => Object.keys(envs).length > 0, 'expected at least one of prod, staging, dev'),
});

export type RawConfig = z.input<typeof rootSchema>;

export interface DomainConfig {
  readonly zoneName: string;
  readonly hostedZoneId: string;
  /** The site's hostname (primary distribution alias). */
  readonly recordName: string;
  /** Hostname of the standby distribution, always answered by it: lets the standby path be tested before a failover. */
  readonly standbyRecordName: string;
  readonly certificateArn?: string;
  readonly healthCheckPath: string;
}

export interface VaultConfig {
  readonly account: string;
  readonly region: string;
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly kmsKey: boolean;
  /** True when the vault lives in another account than the workload. */
  readonly crossAccount: boolean;
}

export interface OriginFailoverConfig {
  /** Seconds CloudFront waits to connect to the primary origin before trying again or failing over. */
  readonly connectionTimeoutSeconds: number;
  /** Connection attempts to the primary origin before failing over to the replica. */
  readonly connectionAttempts: number;
}

/** Everything one environment's stacks need, resolved and validated. */
export interface EnvironmentConfig {
  readonly project: string;
  readonly name: EnvironmentName;
  /** `<project>-<env>`: the prefix of every physical name this app must fix. */
  readonly prefix: string;
  readonly account: string;
  readonly primaryRegion: string;
  readonly recoveryRegion: string;
  readonly tier: Tier;
  readonly domain?: DomainConfig;
  readonly vault: VaultConfig;
  readonly alertEmail?: string;
  readonly replicationStorageClass: 'STANDARD' | 'STANDARD_IA' | 'INTELLIGENT_TIERING' | 'ONEZONE_IA' | 'GLACIER_IR';
  readonly originFailover: OriginFailoverConfig;
  /** Paths every validation requires to answer 200 (default: just `/`). */
  readonly criticalPaths: readonly string[];
  /** The health-check alarm starts the failover runbook (default: it only notifies). */
  readonly automaticFailover: boolean;
  /** Physical bucket names: fixed because other regions and accounts refer to them before they exist. */
  readonly bucketNames: { readonly content: string; readonly replica: string; readonly vault: string };
  /** Name prefix of the runbook roles the vault's bucket policy trusts (the vault may be in another account). */
  readonly runbookRolePrefix: string;
}

export interface AppConfig {
  readonly project: string;
  readonly environments: readonly EnvironmentConfig[];
}

const DAY_MINUTES = 24 * 60;

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? `sitedr.${issue.path.join('.')}` : 'sitedr';
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return `${field}: ${issue.message}`;
}

function bucketName(parts: string[], field: string): string {
  const name = parts.join('-');
  if (name.length > 63) {
    throw new ConfigError(`${field}: the derived bucket name "${name}" is ${name.length} characters; S3 allows 63. Use a shorter sitedr.project.`);
  }
  return name;
}

function standbyHostname(recordName: string, zoneName: string): string {
  return recordName === zoneName ? `standby.${zoneName}` : `standby-${recordName}`;
}

function resolveEnvironment(
  root: z.output<typeof rootSchema>,
  name: EnvironmentName,
  raw: z.output<typeof environmentSchema>,
): EnvironmentConfig {
  const field = (f: string) => `sitedr.environments.${name}.${f}`;
  const base = TIERS[name];
  const schedules: ScheduleSettings = { ...base.schedules, ...stripUndefined(raw.schedules ?? {}) };
  const tier: Tier = {
    ...base,
    ...stripUndefined({
      noncurrentVersionRetentionDays: raw.noncurrentVersionRetentionDays,
      snapshotRetentionDays: raw.snapshotRetentionDays,
      logExportRetentionDays: raw.logExportRetentionDays,
      templateRetentionDays: raw.templateRetentionDays,
      healthCheckIntervalSeconds: raw.healthCheckIntervalSeconds,
      wafEnabled: raw.waf?.enabled,
      wafRateLimit: raw.waf?.rateLimit,
      restoreNeedsApproval: raw.restoreNeedsApproval,
      responseTimeLimitMs: raw.responseTimeLimitMs,
    }),
    schedules,
  };

  const accountId = raw.account ?? root.account;
  const primaryRegion = raw.primaryRegion ?? root.primaryRegion;
  const recoveryRegion = raw.recoveryRegion ?? root.recoveryRegion;
  if (primaryRegion === recoveryRegion) {
    throw new ConfigError(
      `${field('recoveryRegion')}: expected a region other than the primary region (${primaryRegion}); a replica in the same region does not survive a region outage`,
    );
  }

  // Keeping versions or snapshots for less time than the RPO would make the objective unreachable by design.
  const rpoDays = tier.rpoMinutes / DAY_MINUTES;
  for (const key of ['noncurrentVersionRetentionDays', 'snapshotRetentionDays'] as const) {
    if (tier[key] < rpoDays) {
      throw new ConfigError(`${field(key)}: ${tier[key]} days is shorter than the tier's RPO (${tier.rpoMinutes} minutes); expected at least ${Math.ceil(rpoDays)} days`);
    }
  }

  // Tiers 1 and 2 promise restores from the vault; switching their snapshot schedule off breaks that promise.
  if (tier.tier < 3 && tier.schedules.backup === null) {
    throw new ConfigError(`${field('schedules.backup')}: tier ${tier.tier} (${name}) needs a backup schedule; expected an expression such as cron(0 3 * * ? *), not null`);
  }

  if (raw.automaticFailover && !raw.domain) {
    throw new ConfigError(`${field('automaticFailover')}: failover moves the site's hostname between distributions; expected a domain to be configured`);
  }

  let domain: DomainConfig | undefined;
  if (raw.domain) {
    const { zoneName, recordName } = raw.domain;
    if (recordName !== zoneName && !recordName.endsWith(`.${zoneName}`)) {
      throw new ConfigError(`${field('domain.recordName')}: "${recordName}" is not in the hosted zone "${zoneName}"; expected ${zoneName} or a name ending in .${zoneName}`);
    }
    domain = { ...raw.domain, standbyRecordName: standbyHostname(recordName, zoneName) };
  }

  const vaultAccount = raw.vault?.account ?? accountId;
  const vaultRegion = raw.vault?.region ?? recoveryRegion;
  // The runbooks read and write the vault from the recovery region: CloudWatch Logs exports only
  // into a bucket of the log group's region, and a Distributed Map reads its items from there too.
  if (vaultRegion !== recoveryRegion) {
    throw new ConfigError(`${field('vault.region')}: expected the recovery region (${recoveryRegion}); the runbooks export logs into the vault and read restore batches from it in that region`);
  }
  const prefix = `${root.project}-${name}`;
  return {
    project: root.project,
    name,
    prefix,
    account: accountId,
    primaryRegion,
    recoveryRegion,
    tier,
    domain,
    vault: {
      account: vaultAccount,
      region: vaultRegion,
      objectLockMode: raw.vault?.objectLockMode ?? 'GOVERNANCE',
      kmsKey: raw.vault?.kmsKey ?? false,
      crossAccount: vaultAccount !== accountId,
    },
    alertEmail: raw.alertEmail,
    replicationStorageClass: raw.replicationStorageClass ?? 'STANDARD',
    criticalPaths: raw.criticalPaths ?? ['/'],
    automaticFailover: raw.automaticFailover ?? false,
    originFailover: {
      connectionTimeoutSeconds: raw.originFailover?.connectionTimeoutSeconds ?? 2,
      connectionAttempts: raw.originFailover?.connectionAttempts ?? 1,
    },
    bucketNames: {
      content: bucketName([prefix, 'content', accountId, primaryRegion], field('project')),
      replica: bucketName([prefix, 'replica', accountId, recoveryRegion], field('project')),
      vault: bucketName([prefix, 'vault', vaultAccount, vaultRegion], field('project')),
    },
    runbookRolePrefix: `${prefix}-runbook-`,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Validates the `sitedr` context object and resolves every environment.
 * @param raw the value of `sitedr` in cdk.json (or `-c sitedr=...`)
 * @param only restrict to one environment (`-c env=prod`)
 * @throws ConfigError naming the field and what was expected
 */
export function parseConfig(raw: unknown, only?: string): AppConfig {
  if (raw === undefined || raw === null) {
    throw new ConfigError('sitedr: missing; expected a "sitedr" object in cdk.json context (see README, Configuration)');
  }
  const parsed = rootSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(describeIssue).join('\n'));
  }
  const root = parsed.data;
  const names = Object.keys(root.environments) as EnvironmentName[];
  if (only !== undefined && !names.includes(only as EnvironmentName)) {
    throw new ConfigError(`env: "${only}" is not configured; expected one of ${names.join(', ')}`);
  }
  const selected = only === undefined ? names : [only as EnvironmentName];
  return {
    project: root.project,
    environments: selected.map((n) => resolveEnvironment(root, n, root.environments[n] ?? {})),
  };
}
