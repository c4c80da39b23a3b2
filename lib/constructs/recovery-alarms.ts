import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS } from '../../lambda/shared/metric-names';
import { EnvironmentConfig } from '../config';
import { runbookMetric } from './dr-dashboard';

export interface RecoveryAlarmsProps {
  readonly config: EnvironmentConfig;
  readonly topic: sns.ITopic;
}

/**
 * Alarms on what the runbooks measure: no successful backup within a day (the vault's recovery
 * point is getting old), and a drill that took longer than the tier's RTO.
 */
export class RecoveryAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: RecoveryAlarmsProps) {
    super(scope, id);
    const { config } = props;
    if (config.tier.schedules.backup !== null) {
      this.alarms.push(
        new cloudwatch.Alarm(this, 'BackupMissing', {
          alarmDescription: `${config.prefix}: no successful backup in the last 24 hours; the newest snapshot is older than the backup schedule promises`,
          metric: runbookMetric(config, 'backup', METRICS.runbookSucceeded, 'Sum', Duration.days(1)),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          // No datapoint means no successful backup that day.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }
    this.alarms.push(
      new cloudwatch.Alarm(this, 'DrillOverRto', {
        alarmDescription: `${config.prefix}: a restore drill took longer than the RTO (${config.tier.rtoMinutes} min)`,
        metric: runbookMetric(config, 'drill', METRICS.recoveryTimeMinutes, 'Maximum', Duration.days(1)),
        threshold: config.tier.rtoMinutes,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
