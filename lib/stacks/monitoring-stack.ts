import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config';
import { AlertTopic } from '../constructs/alert-topic';

export interface MonitoringStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly distributions: ReadonlyArray<{ readonly label: string; readonly distributionId: string }>;
}

/** CloudFront error-rate thresholds (percent of requests). */
export const ERROR_RATE_LIMITS = { '5xxErrorRate': 1, '4xxErrorRate': 5 } as const;

/**
 * Alarms on CloudFront error rates. CloudFront publishes its metrics in us-east-1 only and an
 * alarm reads metrics of its own region, so these live in a us-east-1 stack of their own.
 */
export class MonitoringStack extends Stack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    if (this.region !== 'us-east-1') throw new Error(`MonitoringStack env.region: expected us-east-1 (CloudFront metrics), got ${this.region}`);
    const topic = new AlertTopic(this, 'Alerts', { email: props.config.alertEmail }).topic;
    for (const { label, distributionId } of props.distributions) {
      for (const [metricName, limit] of Object.entries(ERROR_RATE_LIMITS)) {
        const alarm = new cloudwatch.Alarm(this, `${label}${metricName}`, {
          alarmDescription: `${props.config.prefix} ${label} distribution: ${metricName} above ${limit} % for 15 minutes`,
          metric: new cloudwatch.Metric({
            namespace: 'AWS/CloudFront',
            metricName,
            dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
            statistic: 'Average',
            period: Duration.minutes(5),
          }),
          threshold: limit,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
    }
  }
}
