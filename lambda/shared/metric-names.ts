/**
 * The custom metrics the runbooks publish (from the report task) and the dashboard and alarms
 * read. Alarms match exact dimension sets, so both sides take names and dimensions from here.
 */
export const METRIC_NAMESPACE = 'SiteDR';

export const METRICS = {
  runbookSucceeded: 'RunbookSucceeded',
  runbookFailed: 'RunbookFailed',
  /** Measured recovery time of a run, in minutes (restore, rollback, drill, failover). */
  recoveryTimeMinutes: 'RecoveryTimeMinutes',
  /** Measured recovery point: age of the restored data, or time since the previous snapshot, in minutes. */
  recoveryPointMinutes: 'RecoveryPointMinutes',
} as const;

/** Every SiteDR datapoint has exactly these dimensions. */
export function metricDimensions(environment: string, runbook: string): { Environment: string; Runbook: string } {
  return { Environment: environment, Runbook: runbook };
}
