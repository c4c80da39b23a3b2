import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DomainConfig, EnvironmentConfig } from '../config';
import { AlertTopic } from '../constructs/alert-topic';
import { FailoverDns } from '../constructs/failover-dns';
import { healthAlarmEventPattern } from '../event-patterns';

export interface DnsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly domain: DomainConfig;
  readonly primaryDistribution: cloudfront.IDistribution;
  readonly standbyDistribution: cloudfront.IDistribution;
}


/** Health check, failover records and alias-move authorization; us-east-1, where Route 53 metrics are. */
export class DnsStack extends Stack {
  public readonly failover: FailoverDns;

  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props);
    const { config, domain } = props;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: domain.hostedZoneId,
      zoneName: domain.zoneName,
    });
    const alerts = new AlertTopic(this, 'Alerts', { email: config.alertEmail });
    this.failover = new FailoverDns(this, 'Failover', {
      zone,
      recordName: domain.recordName,
      standbyRecordName: domain.standbyRecordName,
      primaryDistribution: props.primaryDistribution,
      standbyDistribution: props.standbyDistribution,
      healthCheckPath: domain.healthCheckPath,
      healthCheckIntervalSeconds: config.tier.healthCheckIntervalSeconds,
      topic: alerts.topic,
      environment: config.name,
      severity: config.tier.incidentSeverity,
    });
    if (config.automaticFailover) {
      // Alarm events stay in us-east-1; the failover runbook listens on the recovery region's default bus.
      new events.Rule(this, 'ForwardHealthAlarm', {
        description: `${config.prefix}: forward the health-check alarm to ${config.recoveryRegion} to start the failover runbook`,
        eventPattern: healthAlarmEventPattern(this.failover.healthAlarm.alarmArn),
        targets: [new eventTargets.EventBus(events.EventBus.fromEventBusArn(this, 'RecoveryBus', `arn:${this.partition}:events:${config.recoveryRegion}:${config.account}:event-bus/default`))],
      });
    }
    new CfnOutput(this, 'HealthCheckId', { value: this.failover.healthCheck.healthCheckId });
    new CfnOutput(this, 'HealthAlarmArn', { value: this.failover.healthAlarm.alarmArn });
  }
}
