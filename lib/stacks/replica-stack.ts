import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EdgeOutputsProps } from './edge-stack';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { SecurityHeadersPolicy } from '../constructs/security-headers-policy';
import { SiteBucket } from '../constructs/site-bucket';
import { SiteDistribution } from '../constructs/site-distribution';

export type ReplicaStackProps = EdgeOutputsProps;

/**
 * The recovery region: the replica bucket that the content bucket replicates into, and the standby
 * distribution that serves it (falling back to the primary bucket) when traffic is moved here.
 */
export class ReplicaStack extends Stack {
  public readonly replicaBucket: s3.IBucket;
  public readonly standbyDistribution: cloudfront.IDistribution;

  constructor(scope: Construct, id: string, props: ReplicaStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logs = new AccessLogBucket(this, 'AccessLogs', { cloudFrontLogs: true });
    this.replicaBucket = new SiteBucket(this, 'Replica', {
      bucketName: config.bucketNames.replica,
      noncurrentVersionRetentionDays: config.tier.noncurrentVersionRetentionDays,
      accessLogBucket: logs.bucket,
      accessLogPrefix: 's3/replica/',
      allowPeerDistributions: true,
    }).bucket;

    const contentBucket = s3.Bucket.fromBucketAttributes(this, 'ContentBucket', {
      bucketName: config.bucketNames.content,
      region: config.primaryRegion,
    });
    this.standbyDistribution = new SiteDistribution(this, 'Standby', {
      comment: `${config.prefix} standby: replica first, primary bucket second`,
      primaryBucket: this.replicaBucket,
      fallbackBucket: contentBucket,
      responseHeadersPolicy: new SecurityHeadersPolicy(this, 'SecurityHeaders').policy,
      logBucket: logs.bucket,
      logPrefix: 'cloudfront/standby/',
      domainNames: config.domain ? [config.domain.standbyRecordName] : undefined,
      certificate: props.certificate,
      webAclArn: props.webAclArn,
      connectionTimeoutSeconds: config.originFailover.connectionTimeoutSeconds,
      connectionAttempts: config.originFailover.connectionAttempts,
    }).distribution;

    new CfnOutput(this, 'ReplicaBucketName', { value: this.replicaBucket.bucketName });
    new CfnOutput(this, 'StandbyDistributionId', { value: this.standbyDistribution.distributionId });
    new CfnOutput(this, 'StandbyDistributionDomainName', { value: this.standbyDistribution.distributionDomainName });
  }
}
