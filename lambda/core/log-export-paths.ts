/** Where and what the weekly CloudWatch Logs export writes: pure date and key arithmetic. */

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TimeRange {
  /** First millisecond included. */
  readonly from: Date;
  /** Last millisecond included (CloudWatch Logs exports events up to and including `to`). */
  readonly to: Date;
}

/**
 * The 7 full UTC days before the day `now` falls in: from 00:00:00.000 seven days back to
 * 23:59:59.999 yesterday. `to` is the last millisecond rather than the next midnight because
 * CreateExportTask includes `to`; consecutive weeks then neither overlap nor leave a gap, whatever
 * time of day the schedule fires.
 */
export function previousWeek(now: Date): TimeRange {
  if (Number.isNaN(now.getTime())) throw new RangeError('previousWeek needs a valid date');
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(startOfToday - 7 * DAY_MS), to: new Date(startOfToday - 1) };
}

/**
 * A log group name as one S3 key segment: the leading `/` dropped, `/` turned into `-`, and any
 * character outside `[A-Za-z0-9._-]` (log group names also allow `#`) turned into `_`.
 * `/aws/lambda/site-dr-restore` becomes `aws-lambda-site-dr-restore`. Two groups differing only by
 * `/` versus `-` share a segment; their exports still never overwrite each other because CloudWatch
 * Logs writes under `<prefix>/<task id>/`.
 */
export function sanitiseLogGroupName(logGroupName: string): string {
  const segment = logGroupName
    .replace(/^\/+/, '')
    .replace(/\/+/g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  if (segment === '' || segment === '.' || segment === '..') throw new RangeError(`log group name ${JSON.stringify(logGroupName)} gives no usable key segment`);
  return segment;
}

/** `logs/YYYY/MM/DD/<log group>`, dated by the export's last day (UTC), under the vault's 90-day log lifecycle prefix. */
export function logExportPrefix(logGroupName: string, to: Date): string {
  if (Number.isNaN(to.getTime())) throw new RangeError('logExportPrefix needs a valid end date');
  const yyyy = String(to.getUTCFullYear()).padStart(4, '0');
  const mm = String(to.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(to.getUTCDate()).padStart(2, '0');
  return `logs/${yyyy}/${mm}/${dd}/${sanitiseLogGroupName(logGroupName)}`;
}
