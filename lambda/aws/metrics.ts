/**
 * Recovery metrics (actual RPO/RTO, backup age, runbook outcomes) as CloudWatch custom metrics,
 * so alarms and the dashboard compare them with the tier's objectives.
 *
 * Alarms match a metric by its exact dimension set: every datapoint here carries `Environment`
 * (plus any extra dimensions the caller gives), and an alarm must name the same set.
 */
import { CloudWatchClient, MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { InvalidInput } from '../shared/errors';

export const METRIC_NAMESPACE = 'SiteDR';

export type RecoveryMetricName = 'BackupAgeMinutes' | 'RecoveryPointMinutes' | 'RecoveryTimeMinutes' | 'RunbookSucceeded' | 'RunbookFailed';

/**
 * CloudWatch has no minutes unit, so minute-valued metrics say so in their name and are sent with
 * unit `None`; outcome counters are `Count`. Names not listed default to `None`.
 */
export const DEFAULT_UNITS: Readonly<Record<RecoveryMetricName, StandardUnit>> = {
  BackupAgeMinutes: StandardUnit.None,
  RecoveryPointMinutes: StandardUnit.None,
  RecoveryTimeMinutes: StandardUnit.None,
  RunbookSucceeded: StandardUnit.Count,
  RunbookFailed: StandardUnit.Count,
};

export interface RecoveryMetric {
  // `(string & {})` keeps editor completion for the known names while accepting others.
  readonly name: RecoveryMetricName | (string & {});
  readonly value: number;
  /** @default DEFAULT_UNITS[name], else `None` */
  readonly unit?: StandardUnit;
}

export interface PutRecoveryMetricsRequest {
  /** @default 'SiteDR' */
  readonly namespace?: string;
  /** prod / staging / dev: the `Environment` dimension. */
  readonly environment: string;
  readonly metrics: readonly RecoveryMetric[];
  /** Extra dimensions on every datapoint, e.g. `{ Runbook: 'Restore' }`. @default none */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** @default the time of the call */
  readonly timestamp?: Date;
}

/** PutMetricData accepts up to 1,000 datums per request. */
const MAX_DATUMS_PER_CALL = 1000;
/** CloudWatch allows 30 dimensions per metric. */
const MAX_DIMENSIONS = 30;

function validate(req: PutRecoveryMetricsRequest): void {
  if (typeof req.environment !== 'string' || req.environment.trim() === '') {
    throw new InvalidInput('environment', 'the environment name (prod, staging, dev)', 'environment must name the environment');
  }
  const namespace = req.namespace ?? METRIC_NAMESPACE;
  if (namespace.trim() === '' || namespace.startsWith('AWS/')) throw new InvalidInput('namespace', 'a custom namespace (not AWS/...)', `namespace ${JSON.stringify(namespace)} is not a custom namespace`);
  const extra = Object.entries(req.dimensions ?? {});
  if (extra.length + 1 > MAX_DIMENSIONS) throw new InvalidInput('dimensions', `at most ${MAX_DIMENSIONS - 1} extra dimensions`, `${extra.length} extra dimensions given`);
  for (const [name, value] of extra) {
    if (name === 'Environment') throw new InvalidInput('dimensions', 'dimensions other than Environment (set from environment)', 'dimensions must not set Environment; it comes from environment');
    if (name.trim() === '' || typeof value !== 'string' || value.trim() === '') throw new InvalidInput(`dimensions.${name}`, 'a non-empty name and value', `dimension ${JSON.stringify(name)} needs a non-empty name and value`);
  }
  if (req.timestamp !== undefined && Number.isNaN(req.timestamp.getTime())) throw new InvalidInput('timestamp', 'a valid date', 'timestamp must be a valid date');
  req.metrics.forEach((m, i) => {
    if (typeof m.name !== 'string' || m.name.trim() === '') throw new InvalidInput(`metrics[${i}].name`, 'a metric name', `metrics[${i}] has no name`);
    // CloudWatch rejects NaN and infinities; a failed measurement must not become a silent gap.
    if (typeof m.value !== 'number' || !Number.isFinite(m.value)) throw new InvalidInput(`metrics[${i}].value`, 'a finite number', `metrics[${i}] (${m.name}) has value ${String(m.value)}`);
  });
}

/** Publishes the metrics with an `Environment` dimension, in as few PutMetricData calls as the limits allow. */
export async function putRecoveryMetrics(cw: CloudWatchClient, req: PutRecoveryMetricsRequest): Promise<{ published: number }> {
  validate(req);
  if (req.metrics.length === 0) return { published: 0 };
  const dimensions = [{ Name: 'Environment', Value: req.environment }, ...Object.entries(req.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }))];
  const timestamp = req.timestamp ?? new Date();
  const data: MetricDatum[] = req.metrics.map((m) => ({
    MetricName: m.name,
    Value: m.value,
    Unit: m.unit ?? (Object.hasOwn(DEFAULT_UNITS, m.name) ? DEFAULT_UNITS[m.name as RecoveryMetricName] : StandardUnit.None),
    Dimensions: dimensions,
    Timestamp: timestamp,
  }));
  for (let i = 0; i < data.length; i += MAX_DATUMS_PER_CALL) {
    await cw.send(new PutMetricDataCommand({ Namespace: req.namespace ?? METRIC_NAMESPACE, MetricData: data.slice(i, i + MAX_DATUMS_PER_CALL) }));
  }
  return { published: data.length };
}
