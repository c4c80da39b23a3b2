/**
 * Recovery tiers from the written DR plan (../shared/reference): the objectives each
 * environment is measured against and the settings that follow from them.
 *
 * Everything here is a default; `lib/config.ts` lets an environment override the
 * settings (never the objectives: those are the contract the runs are measured against).
 */

import { DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS } from '../lambda/shared/schemas';

export type EnvironmentName = 'prod' | 'staging' | 'dev';
export type TierNumber = 1 | 2 | 3;

/** Schedules as EventBridge Scheduler expressions (UTC); `null` turns a schedule off. */
export interface ScheduleSettings {
  /** Daily snapshot of the content bucket into the vault. */
  readonly backup: string | null;
  /** Content-restore drill into an isolated bucket (first Monday of the month). */
  readonly drill: string | null;
  /** Full recovery drill (quarterly; staging by default). */
  readonly fullDrill: string | null;
  /** CloudWatch Logs export into the vault (weekly). */
  readonly logExport: string | null;
  /** Infrastructure template backup into the vault (daily, besides after each deployment). */
  readonly templateBackup: string | null;
}

export interface TierObjectives {
  readonly tier: TierNumber;
  /** Recovery time objective in minutes: from declaring the incident to a validated site. */
  readonly rtoMinutes: number;
  /** Recovery point objective in minutes: the most data (time) a recovery may lose. */
  readonly rpoMinutes: number;
  /** Maximum tolerable downtime in minutes, where the plan defines one. */
  readonly mtdMinutes?: number;
  /** Severity of an outage of this environment in incident messages. */
  readonly incidentSeverity: 'P1' | 'P2' | 'P3';
}

export interface TierSettings {
  /** Days a noncurrent content version is kept before it expires. */
  readonly noncurrentVersionRetentionDays: number;
  /** Days a vault snapshot is kept (and the vault's default Object Lock retention). */
  readonly snapshotRetentionDays: number;
  /**
   * An unchanged object in a new snapshot reuses the previous snapshot's vault copy while that copy is
   * younger than this; the vault keeps snapshot objects this much longer than the snapshot retention,
   * so a reused copy always outlives every snapshot that points at it.
   */
  readonly snapshotReuseMaxAgeDays: number;
  /** Days exported CloudWatch logs are kept in the vault. */
  readonly logExportRetentionDays: number;
  /** Days infrastructure templates are kept in the vault; `null` keeps them forever. */
  readonly templateRetentionDays: number | null;
  /** Route 53 health-check request interval in seconds (10 = fast, 30 = standard). */
  readonly healthCheckIntervalSeconds: 10 | 30;
  /** Whether a WAF web ACL protects the distributions. */
  readonly wafEnabled: boolean;
  /** WAF per-IP request limit per 5 minutes. */
  readonly wafRateLimit: number;
  /** Whether a restore of this environment waits for a human approval before executing. */
  readonly restoreNeedsApproval: boolean;
  /** Response-time limit the validation runbook enforces, in milliseconds. */
  readonly responseTimeLimitMs: number;
  readonly schedules: ScheduleSettings;
}

export interface Tier extends TierObjectives, TierSettings {}

const FIRST_MONDAY_0600 = 'cron(0 6 ? * MON#1 *)';
const QUARTERLY_FIRST_MONDAY_0800 = 'cron(0 8 ? 1,4,7,10 MON#1 *)';
const DAILY_0300 = 'cron(0 3 * * ? *)';
const DAILY_0330 = 'cron(30 3 * * ? *)';
const WEEKLY_SUNDAY_0400 = 'cron(0 4 ? * SUN *)';

/** The tier table of the DR plan, by environment. */
export const TIERS: Readonly<Record<EnvironmentName, Tier>> = {
  prod: {
    tier: 1,
    incidentSeverity: 'P1',
    rtoMinutes: 60,
    rpoMinutes: 15,
    mtdMinutes: 240,
    noncurrentVersionRetentionDays: 90,
    snapshotRetentionDays: 30,
    snapshotReuseMaxAgeDays: DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS,
    logExportRetentionDays: 90,
    templateRetentionDays: null,
    healthCheckIntervalSeconds: 10,
    wafEnabled: true,
    wafRateLimit: 2000,
    restoreNeedsApproval: true,
    responseTimeLimitMs: 5000,
    schedules: {
      backup: DAILY_0300,
      drill: FIRST_MONDAY_0600,
      fullDrill: null,
      logExport: WEEKLY_SUNDAY_0400,
      templateBackup: DAILY_0330,
    },
  },
  staging: {
    tier: 2,
    incidentSeverity: 'P2',
    rtoMinutes: 240,
    rpoMinutes: 60,
    noncurrentVersionRetentionDays: 30,
    snapshotRetentionDays: 30,
    snapshotReuseMaxAgeDays: DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS,
    logExportRetentionDays: 90,
    templateRetentionDays: null,
    healthCheckIntervalSeconds: 30,
    wafEnabled: false,
    wafRateLimit: 2000,
    restoreNeedsApproval: false,
    responseTimeLimitMs: 5000,
    schedules: {
      backup: DAILY_0300,
      drill: FIRST_MONDAY_0600,
      fullDrill: QUARTERLY_FIRST_MONDAY_0800,
      logExport: WEEKLY_SUNDAY_0400,
      templateBackup: DAILY_0330,
    },
  },
  dev: {
    tier: 3,
    incidentSeverity: 'P3',
    rtoMinutes: 24 * 60,
    rpoMinutes: 24 * 60,
    noncurrentVersionRetentionDays: 7,
    snapshotRetentionDays: 7,
    snapshotReuseMaxAgeDays: DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS,
    logExportRetentionDays: 30,
    templateRetentionDays: 90,
    healthCheckIntervalSeconds: 30,
    wafEnabled: false,
    wafRateLimit: 2000,
    restoreNeedsApproval: false,
    responseTimeLimitMs: 5000,
    schedules: {
      backup: DAILY_0300,
      drill: null,
      fullDrill: null,
      logExport: null,
      templateBackup: DAILY_0330,
    },
  },
};
