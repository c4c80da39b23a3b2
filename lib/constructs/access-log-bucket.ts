import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults';

export interface AccessLogBucketProps {
  /**
   * Days access logs are kept.
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Also receive CloudFront standard logs, which are written with an ACL: enables ACLs
   * with the bucket owner preferred. Without it ACLs stay disabled.
   * @default false
   */
  readonly cloudFrontLogs?: boolean;
}

/**
 * The bucket that receives a stack's S3 server access logs (and, when asked, CloudFront standard
 * logs). CloudFront's standard logging writes with an ACL, so only a bucket that takes those logs
 * keeps ACLs enabled (bucket owner preferred); it is otherwise as locked down as the rest.
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 90;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`AccessLogBucket retentionDays: expected a whole number of days >= 1, got ${retentionDays}`);
    }
    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps({
        objectOwnership: props.cloudFrontLogs ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [
          { id: 'expire-logs', expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(1) },
        ],
      }),
    );
  }
}
