import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { EdgeStack } from '../../lib/stacks/edge-stack';
import { parseConfig } from '../../lib/config';
import { VAULT_DENIED_ACTIONS } from '../../lib/constructs/vault-bucket';
import { exampleConfig, synthesize, withProd } from './fixtures';

describe('ReplicaStack (recovery region)', () => {
  const synth = synthesize();
  const replica = synth.template('prod', 'replica');

  test('is deployed in the recovery region', () => {
    expect(synth.stacks.get('prod')!.replica.region).toBe('us-west-2');
  });

  test('replica bucket: versioned, encrypted, private, same noncurrent retention, and no replication of its own', () => {
    replica.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-prod-replica-111111111111-us-west-2',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })]) },
      ReplicationConfiguration: Match.absent(),
    });
  });

  test("the primary distribution (another region's stack) may read the replica, scoped to this account's distributions", () => {
    replica.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'PeerDistributionReads',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: {
              StringEquals: { 'AWS:SourceAccount': '111111111111' },
              ArnLike: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::111111111111:distribution/*']] } },
            },
          }),
        ]),
      },
    });
  });

  test('standby distribution serves the replica first, the primary bucket second, on the standby hostname', () => {
    replica.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['standby-www.example.com'],
        Origins: [
          Match.objectLike({ DomainName: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^ReplicaBucket'), 'RegionalDomainName'] }) }),
          Match.objectLike({ DomainName: 'acme-prod-content-111111111111-us-east-1.s3.us-east-1.amazonaws.com' }),
        ],
        OriginGroups: Match.objectLike({ Quantity: 1 }),
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
  });
});

/** The runbook roles of the workload account, by name prefix, in the stack's partition. */
const runbookRoles = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/acme-prod-runbook-*']] };

describe('VaultStack', () => {
  const synth = synthesize();
  const vault = synth.template('prod', 'vault');

  test('Object Lock with a governance-mode default retention equal to the snapshot retention', () => {
    vault.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-prod-vault-111111111111-us-west-2',
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/vault/' }),
    });
    vault.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ ObjectLockEnabled: true }), DeletionPolicy: 'Retain' });
  });

  test('lifecycle by prefix: snapshots 30 days (+7 for reused incremental copies), log exports 90 days, templates kept', () => {
    vault.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'snapshots/', ExpirationInDays: 37 }),
          Match.objectLike({ Prefix: 'logs/', ExpirationInDays: 90 }),
        ]),
      },
    });
    const [bucket] = Object.values(vault.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }));
    const prefixes = bucket.Properties.LifecycleConfiguration.Rules.map((r: { Prefix?: string }) => r.Prefix);
    expect(prefixes).not.toContain('templates/');
    // dev keeps templates for a limited time.
    synth.template('dev', 'vault').hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'templates/', ExpirationInDays: 90 })]) },
    });
  });

  test('TLS only, and the runbook roles can never delete or weaken retention', () => {
    vault.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'WorkloadCannotDeleteOrWeakenRetention',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [...VAULT_DENIED_ACTIONS].sort(),
            Condition: { ArnLike: { 'aws:PrincipalArn': runbookRoles } },
          }),
        ]),
      },
    });
  });

  test('compliance mode and a customer-managed key by config', () => {
    const t = synthesize(withProd({ vault: { objectLockMode: 'COMPLIANCE', kmsKey: true } }), 'prod').template('prod', 'vault');
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }),
        ],
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('in another account: the workload runbook roles may write and read; the whole workload account is denied destruction', () => {
    const synthX = synthesize(withProd({ vault: { account: '222222222222', kmsKey: true } }), 'prod');
    const stack = synthX.stacks.get('prod')!.vault;
    expect(stack.account).toBe('222222222222');
    expect(stack.region).toBe('us-west-2');
    const t = synthX.template('prod', 'vault');
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RunbookRolesWriteAndRead',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
            Action: Match.arrayWith(['s3:GetObject', 's3:ListBucketVersions', 's3:PutObject']),
            Condition: { ArnLike: { 'aws:PrincipalArn': runbookRoles } },
          }),
          Match.objectLike({
            Sid: 'WorkloadCannotDeleteOrWeakenRetention',
            Effect: 'Deny',
            Action: Match.arrayWith(['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion', 's3:PutObjectRetention']),
            Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
          }),
        ]),
      },
    });
    const allow = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Sid?: string }) => s.Sid === 'RunbookRolesWriteAndRead');
    for (const action of allow[0].Action as string[]) expect(action).not.toMatch(/Delete|Bypass|PutObjectRetention|LegalHold|PutBucket|Lifecycle/);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'RunbookRolesUseKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'] })]) },
    });
  });
});

describe('EdgeStack (us-east-1)', () => {
  const synth = synthesize();
  const edge = synth.template('prod', 'edge');

  test('certificate for the site and standby hostnames, validated in the hosted zone', () => {
    edge.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'www.example.com',
      SubjectAlternativeNames: ['standby-www.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([Match.objectLike({ HostedZoneId: 'Z0123456789EXAMPLE' })]),
    });
  });

  test('a configured certificate is used instead of creating one', () => {
    const arn = 'arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0000-1111-2222-333344445555';
    const t = synthesize(withProd({ domain: { zoneName: 'example.com', hostedZoneId: 'Z1', recordName: 'www.example.com', certificateArn: arn } }), 'prod');
    t.template('prod', 'edge').resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('WAF web ACL: CloudFront scope, AWS managed rule groups and a 2,000 per 5 minutes per-IP limit', () => {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
        Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }),
      ]),
    });
  });

  test('no edge stack when an environment has neither a domain nor WAF', () => {
    expect(synth.stacks.get('staging')!.edge).toBeUndefined();
    expect(synth.stacks.get('staging')!.dns).toBeUndefined();
  });

  test('refuses any region but us-east-1', () => {
    const [prod] = parseConfig(exampleConfig(), 'prod').environments;
    expect(() => new EdgeStack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' }, config: prod })).toThrow(
      /EdgeStack env.region: expected us-east-1/,
    );
  });
});
