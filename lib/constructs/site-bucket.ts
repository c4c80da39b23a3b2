import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults';

/** Id of the replication rule; CloudWatch replication metrics are keyed by it. */
export const REPLICATION_RULE_ID = 'replicate-everything';

export interface SiteReplicationProps {
  /** The replica bucket in the recovery region. */
  readonly destination: s3.IBucket;
  /**
   * Storage class of the replicas.
   * @default STANDARD
   */
  readonly storageClass?: s3.StorageClass;
}

export interface SiteBucketProps {
  /** Physical name: fixed, because the other region's stack refers to it before it exists. */
  readonly bucketName: string;
  /** Days a noncurrent version is kept: the window in which any earlier state can be restored. */
  readonly noncurrentVersionRetentionDays: number;
  /** Bucket receiving this bucket's server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /** Key prefix of this bucket's server access logs. */
  readonly accessLogPrefix: string;
  /**
   * Replicate every object, version and delete marker to a replica with Replication Time Control.
   * @default - no replication
   */
  readonly replication?: SiteReplicationProps;
  /**
   * Let the CloudFront distributions of this account that live in another stack read objects.
   * The distribution in the bucket's own stack is granted by its exact ARN; the one in the other
   * region's stack cannot be, because each stack must exist before the other (see README, Architecture).
   * @default false
   */
  readonly allowPeerDistributions?: boolean;
}

/**
 * A bucket that serves the site (content or replica): versioned with noncurrent versions
 * kept for the tier's retention, secure defaults, access logs, optional RTC replication.
 */
export class SiteBucket extends Construct {
  public readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id);
    const days = props.noncurrentVersionRetentionDays;
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`SiteBucket noncurrentVersionRetentionDays: expected a whole number of days >= 1, got ${days}`);
    }
    const bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps({
        bucketName: props.bucketName,
        serverAccessLogsBucket: props.accessLogBucket,
        serverAccessLogsPrefix: props.accessLogPrefix,
        lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(days) }],
        replicationRules: props.replication && [
          {
            id: REPLICATION_RULE_ID,
            destination: props.replication.destination,
            priority: 0,
            deleteMarkerReplication: true,
            replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            storageClass: props.replication.storageClass,
          },
        ],
      }),
    );
    if (props.allowPeerDistributions) {
      const account = Stack.of(this).account;
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PeerDistributionReads',
          principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects('*')],
          conditions: {
            StringEquals: { 'AWS:SourceAccount': account },
            ArnLike: { 'AWS:SourceArn': `arn:${Stack.of(this).partition}:cloudfront::${account}:distribution/*` },
          },
        }),
      );
    }
    if (props.replication) this.acknowledgeReplicationRole(bucket, props.replication.destination);
    this.bucket = bucket;
  }

  /** Replication reads every version of every object and writes every replica: object wildcards are the job. */
  private acknowledgeReplicationRole(bucket: s3.Bucket, destination: s3.IBucket): void {
    const role = bucket.node.tryFindChild('ReplicationRole');
    if (!role) throw new Error('SiteBucket: expected the replication role CDK creates for replicationRules');
    const stack = Stack.of(this);
    const sourceLogicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const reason = 'S3 replication must read all versions of every object of the source and write every replica to the destination; the role is scoped to these two buckets';
    for (const resource of [`<${sourceLogicalId}.Arn>/*`, `arn:<AWS::Partition>:s3:::${destination.bucketName}/*`]) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}
