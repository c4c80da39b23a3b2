import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Replication Time Control's promise: 99.99 % of objects within 15 minutes. */
export const REPLICATION_LATENCY_LIMIT_SECONDS = 15 * 60;

export interface ReplicationAlarmsProps {
  readonly sourceBucketName: string;
  readonly destinationBucketName: string;
  /** Id of the replication rule (metrics are per rule). */
  readonly ruleId: string;
  /** Topic the alarms notify. */
  readonly topic: sns.ITopic;
}

/**
 * Alarms on the replication metrics that S3 publishes in the source bucket's region:
 * the replica falling behind its 15-minute objective, and any object that failed to replicate.
 */
export class ReplicationAlarms extends Construct {
  public readonly latencyAlarm: cloudwatch.IAlarm;
  public readonly failedOperationsAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const dimensionsMap = {
      SourceBucket: props.sourceBucketName,
      DestinationBucket: props.destinationBucketName,
      RuleId: props.ruleId,
    };
    const latency = new cloudwatch.Alarm(this, 'Latency', {
      alarmDescription: `Replication to ${props.destinationBucketName} is more than 15 minutes behind (RPO at risk)`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'ReplicationLatency',
        dimensionsMap,
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: REPLICATION_LATENCY_LIMIT_SECONDS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const failed = new cloudwatch.Alarm(this, 'FailedOperations', {
      alarmDescription: `Objects failed to replicate to ${props.destinationBucketName}`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'OperationsFailedReplication',
        dimensionsMap,
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [latency, failed]) alarm.addAlarmAction(new actions.SnsAction(props.topic));
    this.latencyAlarm = latency;
    this.failedOperationsAlarm = failed;
  }
}
