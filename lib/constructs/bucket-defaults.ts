import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Secure defaults every bucket of this app starts from: versioned, encrypted,
 * no public access, TLS-only (TLS 1.2 minimum), kept when the stack is deleted,
 * incomplete multipart uploads cleaned up. Callers override by spreading.
 */
export function secureBucketProps(overrides: s3.BucketProps = {}): s3.BucketProps {
  return {
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // A disaster-recovery store must survive `cdk destroy` and a mistaken stack deletion.
    removalPolicy: RemovalPolicy.RETAIN,
    ...overrides,
    lifecycleRules: [
      { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(overrides.lifecycleRules ?? []),
    ],
  };
}
