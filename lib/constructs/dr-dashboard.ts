import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRICS, metricDimensions } from '../../lambda/shared/metric-names';
import { EnvironmentConfig } from '../config';
import { REPLICATION_LATENCY_LIMIT_SECONDS } from './replication-alarms';
import { REPLICATION_RULE_ID } from './site-bucket';

export interface DrDashboardProps {
  readonly config: EnvironmentConfig;
  readonly distributionId: string;
  readonly standbyDistributionId: string;
  /** The Step Functions runbooks, by name. */
  readonly runbooks: ReadonlyArray<{ readonly name: string; readonly failed: cloudwatch.IMetric; readonly succeeded: cloudwatch.IMetric }>;
  /**
   * Route 53 health check of the site.
   * @default - no health-check widget (no domain configured)
   */
  readonly healthCheckId?: string;
}

/** The custom metric one runbook publishes, by name. */
export function runbookMetric(config: EnvironmentConfig, runbook: string, metricName: string, statistic: string, period = Duration.hours(1)): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName, dimensionsMap: metricDimensions(config.name, runbook), statistic, period });
}

/**
 * One CloudWatch dashboard per environment, in the recovery region (it must stay readable when the
 * primary region is down), reading each metric in the region that publishes it.
 */
export class DrDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DrDashboardProps) {
    super(scope, id);
    const { config } = props;
    const { rtoMinutes, rpoMinutes } = config.tier;
    const target = (label: string, value: number): cloudwatch.HorizontalAnnotation => ({ label, value, color: cloudwatch.Color.RED });
    const cloudFront = (metricName: string, distributionId: string, label: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/CloudFront', metricName, region: 'us-east-1', dimensionsMap: { DistributionId: distributionId, Region: 'Global' }, statistic: 'Average', period: Duration.minutes(5), label });

    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.TextWidget({
        markdown: `# ${config.prefix}: disaster recovery\nTier ${config.tier.tier}: RTO < ${rtoMinutes} min, RPO < ${rpoMinutes} min. Runbooks run in ${config.recoveryRegion}; reports are in the vault (reports/).`,
        width: 24,
        height: 2,
      }),
      new cloudwatch.GraphWidget({
        title: 'Backups: minutes between snapshots (data a vault-only recovery could lose)',
        left: [runbookMetric(config, 'backup', METRICS.recoveryPointMinutes, 'Maximum', Duration.days(1))],
        right: [runbookMetric(config, 'backup', METRICS.runbookSucceeded, 'Sum', Duration.days(1))],
        leftAnnotations: [target(`RPO ${rpoMinutes} min`, rpoMinutes)],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Replication latency to the replica (seconds)',
        left: [
          new cloudwatch.Metric({
            namespace: 'AWS/S3',
            metricName: 'ReplicationLatency',
            region: config.primaryRegion,
            dimensionsMap: { SourceBucket: config.bucketNames.content, DestinationBucket: config.bucketNames.replica, RuleId: REPLICATION_RULE_ID },
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
        ],
        leftAnnotations: [target('RTC limit 15 min', REPLICATION_LATENCY_LIMIT_SECONDS)],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Restore drills: measured RTO and RPO (minutes)',
        left: [
          runbookMetric(config, 'drill', METRICS.recoveryTimeMinutes, 'Maximum', Duration.days(1)).with({ label: 'drill RTO' }),
          runbookMetric(config, 'drill', METRICS.recoveryPointMinutes, 'Maximum', Duration.days(1)).with({ label: 'drill RPO' }),
        ],
        leftAnnotations: [target(`RTO ${rtoMinutes} min`, rtoMinutes), { label: `RPO ${rpoMinutes} min`, value: rpoMinutes, color: cloudwatch.Color.ORANGE }],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Runbook runs: succeeded (left) and failed (right)',
        left: props.runbooks.map((r) => r.succeeded),
        right: props.runbooks.map((r) => r.failed),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'CloudFront error rates (%)',
        left: [
          cloudFront('5xxErrorRate', props.distributionId, 'primary 5xx'),
          cloudFront('4xxErrorRate', props.distributionId, 'primary 4xx'),
          cloudFront('5xxErrorRate', props.standbyDistributionId, 'standby 5xx'),
        ],
        leftAnnotations: [target('5xx alarm 1 %', 1), { label: '4xx alarm 5 %', value: 5, color: cloudwatch.Color.ORANGE }],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'CloudFront cache hit rate (%)',
        left: [cloudFront('CacheHitRate', props.distributionId, 'primary'), cloudFront('CacheHitRate', props.standbyDistributionId, 'standby')],
        width: 12,
      }),
    ];
    if (props.healthCheckId) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Site health check (1 = healthy)',
          left: [new cloudwatch.Metric({ namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', region: 'us-east-1', dimensionsMap: { HealthCheckId: props.healthCheckId }, statistic: 'Minimum', period: Duration.minutes(1) })],
          width: 12,
        }),
      );
    }
    // Two half-width graphs per row under the full-width title.
    const rows: cloudwatch.IWidget[][] = [];
    for (let i = 0; i < widgets.length; i += i === 0 ? 1 : 2) rows.push(i === 0 ? [widgets[0]] : widgets.slice(i, i + 2));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${config.prefix}-disaster-recovery`, widgets: rows });
  }
}
