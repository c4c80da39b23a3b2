import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { VaultBucket } from '../constructs/vault-bucket';

export interface VaultStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** The immutable backup vault, in the recovery region or in a separate vault account. */
export class VaultStack extends Stack {
  public readonly vaultBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    super(scope, id, props);
    const { config } = props;
    const vault = new VaultBucket(this, 'Vault', {
      bucketName: config.bucketNames.vault,
      objectLockMode: config.vault.objectLockMode,
      lockDays: config.tier.snapshotRetentionDays,
      snapshotRetentionDays: config.tier.snapshotRetentionDays,
      snapshotReuseMaxAgeDays: config.tier.snapshotReuseMaxAgeDays,
      logExportRetentionDays: config.tier.logExportRetentionDays,
      templateRetentionDays: config.tier.templateRetentionDays,
      kmsKey: config.vault.kmsKey,
      accessLogBucket: new AccessLogBucket(this, 'AccessLogs', { retentionDays: config.tier.logExportRetentionDays }).bucket,
      workloadAccount: config.account,
      writerRolePrefix: config.runbookRolePrefix,
      crossAccount: config.vault.crossAccount,
    });
    this.vaultBucket = vault.bucket;
    new CfnOutput(this, 'VaultBucketName', { value: vault.bucket.bucketName });
  }
}
