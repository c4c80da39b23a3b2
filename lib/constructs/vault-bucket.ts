import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucketProps } from './bucket-defaults';

/** Key prefixes of the vault; runbooks and lifecycle rules both use them. */
export const VAULT_PREFIXES = {
  snapshots: 'snapshots/',
  logs: 'logs/',
  templates: 'templates/',
  reports: 'reports/',
} as const;

/** What the workload's runbook roles may do in the vault: write and read, never delete or weaken retention. */
export const VAULT_WRITER_ACTIONS = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAttributes',
  's3:GetObjectVersionAttributes',
  's3:GetObjectTagging',
  's3:GetObjectVersionTagging',
  's3:GetObjectRetention',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketVersioning',
  's3:GetBucketObjectLockConfiguration',
];

/** What no workload principal may ever do to the vault, even with an IAM policy that allows it. */
export const VAULT_DENIED_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
];

export interface VaultBucketProps {
  /** Physical name: fixed, because the workload account refers to it before and across deployments. */
  readonly bucketName: string;
  /** Object Lock mode of the default retention (COMPLIANCE cannot be shortened by anyone, root included). */
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days every new object version is locked; at least the snapshot retention so no snapshot can be removed early. */
  readonly lockDays: number;
  /** Days snapshots are kept under `snapshots/`. */
  readonly snapshotRetentionDays: number;
  /**
   * Extra days snapshot objects are kept, because a later incremental snapshot may reuse a copy up to
   * this old (see TierSettings.snapshotReuseMaxAgeDays).
   * @default 0
   */
  readonly snapshotReuseMaxAgeDays?: number;
  /** Days exported logs are kept under `logs/`. */
  readonly logExportRetentionDays: number;
  /** Days templates are kept under `templates/`; `null` keeps them forever. */
  readonly templateRetentionDays: number | null;
  /**
   * Encrypt with a customer-managed KMS key (rotated) instead of S3-managed keys.
   * @default false
   */
  readonly kmsKey?: boolean;
  /** Bucket receiving the vault's server access logs: an audit trail of every read and write. */
  readonly accessLogBucket: s3.IBucket;
  /** Account whose runbook roles write to the vault. */
  readonly workloadAccount: string;
  /** Name prefix of the runbook roles in the workload account (the only writers). */
  readonly writerRolePrefix: string;
  /**
   * True when the vault is in another account than the workload: the bucket policy then grants the
   * writer roles access, and denies destructive actions to every principal of the workload account.
   * @default false
   */
  readonly crossAccount?: boolean;
}

/**
 * The backup vault: versioned, Object Lock on with a default retention, lifecycle by prefix,
 * and a bucket policy under which the workload can add backups but never remove or shorten them.
 */
export class VaultBucket extends Construct {
  public readonly bucket: s3.IBucket;
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: VaultBucketProps) {
    super(scope, id);
    for (const field of ['lockDays', 'snapshotRetentionDays', 'logExportRetentionDays'] as const) {
      if (!Number.isInteger(props[field]) || props[field] < 1) {
        throw new Error(`VaultBucket ${field}: expected a whole number of days >= 1, got ${props[field]}`);
      }
    }
    if (props.lockDays > props.snapshotRetentionDays) {
      throw new Error(
        `VaultBucket lockDays: ${props.lockDays} days exceeds snapshotRetentionDays (${props.snapshotRetentionDays}); expected lockDays <= snapshotRetentionDays so expired snapshots can be removed`,
      );
    }
    if (!/^[a-zA-Z0-9+=,.@_-]+$/.test(props.writerRolePrefix)) {
      throw new Error(`VaultBucket writerRolePrefix: expected an IAM role name prefix, got "${props.writerRolePrefix}"`);
    }

    if (props.kmsKey) {
      this.encryptionKey = new kms.Key(this, 'Key', {
        description: `Encrypts the DR vault ${props.bucketName}`,
        enableKeyRotation: true,
      });
    }

    const expireUnder = (prefix: string, days: number): s3.LifecycleRule => ({
      id: `expire-${prefix.replace('/', '')}`,
      prefix,
      expiration: Duration.days(days),
      // Object Lock keeps every version until its retention ends; lifecycle removes it after that.
      noncurrentVersionExpiration: Duration.days(1),
    });

    const bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps({
        bucketName: props.bucketName,
        serverAccessLogsBucket: props.accessLogBucket,
        serverAccessLogsPrefix: 's3/vault/',
        encryption: props.kmsKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
        encryptionKey: this.encryptionKey,
        bucketKeyEnabled: props.kmsKey ? true : undefined,
        objectLockEnabled: true,
        objectLockDefaultRetention:
          props.objectLockMode === 'COMPLIANCE'
            ? s3.ObjectLockRetention.compliance(Duration.days(props.lockDays))
            : s3.ObjectLockRetention.governance(Duration.days(props.lockDays)),
        lifecycleRules: [
          expireUnder(VAULT_PREFIXES.snapshots, props.snapshotRetentionDays + (props.snapshotReuseMaxAgeDays ?? 0)),
          expireUnder(VAULT_PREFIXES.logs, props.logExportRetentionDays),
          ...(props.templateRetentionDays === null ? [] : [expireUnder(VAULT_PREFIXES.templates, props.templateRetentionDays)]),
        ],
      }),
    );
    this.bucket = bucket;

    const writerArnPattern = `arn:${Stack.of(this).partition}:iam::${props.workloadAccount}:role/${props.writerRolePrefix}*`;
    if (props.crossAccount) {
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'RunbookRolesWriteAndRead',
          principals: [new iam.AccountPrincipal(props.workloadAccount)],
          actions: VAULT_WRITER_ACTIONS,
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: { ArnLike: { 'aws:PrincipalArn': writerArnPattern } },
        }),
      );
      this.encryptionKey?.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'RunbookRolesUseKey',
          principals: [new iam.AccountPrincipal(props.workloadAccount)],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { ArnLike: { 'aws:PrincipalArn': writerArnPattern } },
        }),
      );
    }
    // CloudWatch Logs export tasks of the workload account write the weekly log exports under logs/.
    const logsService = new iam.ServicePrincipal('logs.amazonaws.com');
    const fromWorkloadLogs = {
      StringEquals: { 'aws:SourceAccount': props.workloadAccount },
      ArnLike: { 'aws:SourceArn': `arn:${Stack.of(this).partition}:logs:*:${props.workloadAccount}:log-group:*` },
    };
    this.encryptionKey?.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LogExportsUseKey',
        principals: [logsService],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': props.workloadAccount } },
      }),
    );
    bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'LogExportsCheckAcl', principals: [logsService], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions: fromWorkloadLogs }));
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'LogExportsWrite', principals: [logsService], actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${VAULT_PREFIXES.logs}*`)], conditions: fromWorkloadLogs }),
    );
    // In its own account the vault must stay manageable by the deployer, so only the runbook roles are denied;
    // in a separate vault account a compromised workload account as a whole can never destroy a backup.
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'WorkloadCannotDeleteOrWeakenRetention',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: VAULT_DENIED_ACTIONS,
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: props.crossAccount
          ? { StringEquals: { 'aws:PrincipalAccount': props.workloadAccount } }
          : { ArnLike: { 'aws:PrincipalArn': writerArnPattern } },
      }),
    );
  }
}
