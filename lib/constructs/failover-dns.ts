import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { HEADINGS } from '../../lambda/core/incident';

/** Consecutive failed checks before Route 53 marks the site unhealthy. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

export interface FailoverDnsProps {
  readonly zone: route53.IHostedZone;
  /** The site's hostname (alias of the primary distribution until a failover moves it). */
  readonly recordName: string;
  /** Hostname always answered by the standby distribution. */
  readonly standbyRecordName: string;
  readonly primaryDistribution: cloudfront.IDistribution;
  readonly standbyDistribution: cloudfront.IDistribution;
  /** Path the health check requests over HTTPS. */
  readonly healthCheckPath: string;
  /** Seconds between checks from each checker (10 = fast, 30 = standard). */
  readonly healthCheckIntervalSeconds: 10 | 30;
  /** Topic the health-check alarm notifies. */
  readonly topic: sns.ITopic;
  /** prod / staging / dev: named in the incident messages. */
  readonly environment: string;
  /** Incident severity of this environment (P1 for prod). */
  readonly severity: string;
}

/**
 * DNS for failover between two CloudFront distributions.
 *
 * CloudFront routes a request by its Host header to the distribution that owns that alternate
 * domain name, whatever DNS answered, so failover DNS records alone do not move traffic while the
 * primary distribution still holds the name. This construct provides what a move needs:
 * - a health check on the site (and an alarm the failover runbook can be triggered by);
 * - PRIMARY/SECONDARY failover alias records, so a deleted or disabled primary distribution
 *   no longer receives DNS answers;
 * - the `_<name>` TXT record naming both distributions, which CloudFront's AssociateAlias
 *   checks before it moves an alternate domain name to a distribution (needed when the
 *   distributions are in different accounts; harmless in one account);
 * - the standby's own hostname, so the standby path can be validated before any switch.
 * The failover runbook then moves the alias with AssociateAlias/UpdateDomainAssociation.
 */
export class FailoverDns extends Construct {
  public readonly healthCheck: route53.IHealthCheck;
  public readonly healthAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    const zoneName = props.zone.zoneName;
    for (const [field, name] of [['recordName', props.recordName], ['standbyRecordName', props.standbyRecordName]] as const) {
      if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
        throw new Error(`FailoverDns ${field}: "${name}" is not in the hosted zone ${zoneName}`);
      }
    }

    const healthCheck = new route53.HealthCheck(this, 'HealthCheck', {
      type: route53.HealthCheckType.HTTPS,
      fqdn: props.recordName,
      port: 443,
      resourcePath: props.healthCheckPath,
      enableSNI: true,
      requestInterval: Duration.seconds(props.healthCheckIntervalSeconds),
      failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
      measureLatency: true,
    });
    this.healthCheck = healthCheck;

    // Route 53 publishes health-check metrics in us-east-1 only, which is where this construct lives.
    const alarm = new cloudwatch.Alarm(this, 'HealthAlarm', {
      alarmDescription: `${props.recordName} failed ${HEALTH_CHECK_FAILURE_THRESHOLD} consecutive health checks`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: healthCheck.healthCheckId },
        statistic: 'Minimum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.healthAlarm = alarm;
    this.notifyAsIncident(props);

    // Failover records are written at the L1 level: Route 53 rejects EvaluateTargetHealth=true on a
    // CloudFront alias target, which the L2 record insists on for failover, so health comes from the check.
    const cloudFrontAlias = (distribution: cloudfront.IDistribution) => ({
      dnsName: distribution.distributionDomainName,
      hostedZoneId: targets.CloudFrontTarget.CLOUDFRONT_ZONE_ID,
      evaluateTargetHealth: false,
    });
    for (const kind of ['A', 'AAAA'] as const) {
      new route53.CfnRecordSet(this, `Primary${kind}`, {
        hostedZoneId: props.zone.hostedZoneId,
        name: `${props.recordName}.`,
        type: kind,
        aliasTarget: cloudFrontAlias(props.primaryDistribution),
        failover: 'PRIMARY',
        healthCheckId: healthCheck.healthCheckId,
        setIdentifier: `primary-${kind.toLowerCase()}`,
      });
      new route53.CfnRecordSet(this, `Secondary${kind}`, {
        hostedZoneId: props.zone.hostedZoneId,
        name: `${props.recordName}.`,
        type: kind,
        aliasTarget: cloudFrontAlias(props.standbyDistribution),
        failover: 'SECONDARY',
        setIdentifier: `secondary-${kind.toLowerCase()}`,
      });
      new route53.CfnRecordSet(this, `Standby${kind}`, {
        hostedZoneId: props.zone.hostedZoneId,
        name: `${props.standbyRecordName}.`,
        type: kind,
        aliasTarget: cloudFrontAlias(props.standbyDistribution),
      });
    }
    new route53.TxtRecord(this, 'AliasMoveAuthorization', {
      zone: props.zone,
      // A trailing dot makes the name absolute, which also works for the zone apex (`_example.com.`).
      recordName: `_${props.recordName}.`,
      values: [props.primaryDistribution.distributionDomainName, props.standbyDistribution.distributionDomainName],
      ttl: Duration.minutes(5),
    });
  }

  /**
   * The alarm's state changes, as the DR plan's incident messages (initial alert on ALARM,
   * resolution on OK) rather than CloudWatch's JSON, through EventBridge input transformers.
   */
  private notifyAsIncident(props: FailoverDnsProps): void {
    const time = events.EventField.fromPath('$.time');
    const reason = events.EventField.fromPath('$.detail.state.reason');
    const lines = (...l: string[]) => events.RuleTargetInput.fromText(l.join('\n'));
    const pattern = (state: string): events.EventPattern => ({
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      resources: [this.healthAlarm.alarmArn],
      detail: { state: { value: [state] } },
    });
    new events.Rule(this, 'HealthIncident', {
      description: `${props.recordName}: health-check failure as an incident message`,
      eventPattern: pattern('ALARM'),
      targets: [
        new eventTargets.SnsTopic(props.topic, {
          message: lines(
            `${HEADINGS.initial.icon} ${HEADINGS.initial.word}: Website Outage (${props.severity})`,
            `Environment: ${props.environment}`,
            'Status: Investigating',
            `Impact: ${props.recordName} fails its health check (${HEALTH_CHECK_FAILURE_THRESHOLD} consecutive failures): ${reason}`,
            `Started: ${time}`,
            `Next Step: check the dashboard; if the primary distribution is at fault: sitedr run failover --env ${props.environment} --reason "health check failing"`,
          ),
        }),
      ],
    });
    new events.Rule(this, 'HealthResolution', {
      description: `${props.recordName}: health check passing again, as a resolution message`,
      eventPattern: pattern('OK'),
      targets: [
        new eventTargets.SnsTopic(props.topic, {
          message: lines(
            `${HEADINGS.resolution.icon} ${HEADINGS.resolution.word}: Website Outage (${props.severity})`,
            `Environment: ${props.environment}`,
            'Status: Service restored',
            `Impact: ${props.recordName} passes its health check again`,
            `Resolved: ${time}`,
            'Next Steps: post-mortem; if traffic was failed over, plan the failback (sitedr run failback)',
          ),
        }),
      ],
    });
  }
}
