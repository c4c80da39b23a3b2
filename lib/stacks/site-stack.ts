import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { deploymentEventPattern } from '../event-patterns';
import { Construct } from 'constructs';
import { EdgeOutputsProps } from './edge-stack';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AlertTopic } from '../constructs/alert-topic';
import { ReplicationAlarms } from '../constructs/replication-alarms';
import { SecurityHeadersPolicy } from '../constructs/security-headers-policy';
import { REPLICATION_RULE_ID, SiteBucket } from '../constructs/site-bucket';
import { SiteDistribution } from '../constructs/site-distribution';

export type SiteStackProps = EdgeOutputsProps;

/**
 * The primary region: the content bucket (replicating to the replica with RTC), the distribution
 * that serves it with the replica as failover origin, and the alarms on replication.
 */
export class SiteStack extends Stack {
  public readonly contentBucket: s3.IBucket;
  public readonly distribution: cloudfront.IDistribution;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logs = new AccessLogBucket(this, 'AccessLogs', { cloudFrontLogs: true });
    const replicaBucket = s3.Bucket.fromBucketAttributes(this, 'ReplicaBucket', {
      bucketName: config.bucketNames.replica,
      region: config.recoveryRegion,
    });
    this.contentBucket = new SiteBucket(this, 'Content', {
      bucketName: config.bucketNames.content,
      noncurrentVersionRetentionDays: config.tier.noncurrentVersionRetentionDays,
      accessLogBucket: logs.bucket,
      accessLogPrefix: 's3/content/',
      replication: { destination: replicaBucket, storageClass: new s3.StorageClass(config.replicationStorageClass) },
      allowPeerDistributions: true,
    }).bucket;

    this.distribution = new SiteDistribution(this, 'Site', {
      comment: `${config.prefix} primary: content bucket first, replica second`,
      primaryBucket: this.contentBucket,
      fallbackBucket: replicaBucket,
      responseHeadersPolicy: new SecurityHeadersPolicy(this, 'SecurityHeaders').policy,
      logBucket: logs.bucket,
      logPrefix: 'cloudfront/primary/',
      domainNames: config.domain ? [config.domain.recordName] : undefined,
      certificate: props.certificate,
      webAclArn: props.webAclArn,
      connectionTimeoutSeconds: config.originFailover.connectionTimeoutSeconds,
      connectionAttempts: config.originFailover.connectionAttempts,
    }).distribution;

    // Replication metrics are published in the source bucket's region, so their alarms live here.
    const alerts = new AlertTopic(this, 'Alerts', { email: config.alertEmail });
    new ReplicationAlarms(this, 'ReplicationAlarms', {
      sourceBucketName: config.bucketNames.content,
      destinationBucketName: config.bucketNames.replica,
      ruleId: REPLICATION_RULE_ID,
      topic: alerts.topic,
    });

    // Deployments in this region reach the template-backup runbook through the recovery region's default bus.
    new events.Rule(this, 'ForwardDeploymentsToRecoveryRegion', {
      description: `${config.prefix}: forward stack deployments to ${config.recoveryRegion} for the template backup`,
      eventPattern: deploymentEventPattern(config),
      targets: [new eventTargets.EventBus(events.EventBus.fromEventBusArn(this, 'RecoveryBus', `arn:${this.partition}:events:${config.recoveryRegion}:${config.account}:event-bus/default`))],
    });

    new CfnOutput(this, 'ContentBucketName', { value: this.contentBucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName });
  }
}
