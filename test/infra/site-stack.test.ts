import { Match } from 'aws-cdk-lib/assertions';
import { DIRECTORY_INDEX_FUNCTION, objectKeyFor, SECURITY_HEADERS } from '../../lambda/shared/site-contract';
import { synthesize, withProd } from './fixtures';

describe('SiteStack (primary region)', () => {
  const synth = synthesize();
  const site = synth.template('prod', 'site');
  const contentBucket = { BucketName: 'acme-prod-content-111111111111-us-east-1' };

  test('content bucket: versioned, encrypted, private, logged, noncurrent versions kept 90 days, uploads aborted after 7', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      ...contentBucket,
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 's3/content/' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
        ]),
      },
    });
    site.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike(contentBucket), DeletionPolicy: 'Retain' });
  });

  test('replicates every object and delete marker to the replica with RTC (15 min) and metrics', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      ...contentBucket,
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Id: 'replicate-everything',
            Status: 'Enabled',
            Filter: Match.anyValue(),
            DeleteMarkerReplication: { Status: 'Enabled' },
            Destination: Match.objectLike({
              Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-prod-replica-111111111111-us-west-2']] },
              StorageClass: 'STANDARD',
              ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
              Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
            }),
          }),
        ],
      },
    });
  });

  test('the replication storage class is configurable', () => {
    const t = synthesize(withProd({ replicationStorageClass: 'STANDARD_IA' }), 'prod').template('prod', 'site');
    t.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: { Rules: [Match.objectLike({ Destination: Match.objectLike({ StorageClass: 'STANDARD_IA' }) })] },
    });
  });

  test('the replication role can only replicate between the two buckets', () => {
    site.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] },
    });
    const [replicationRole] = Object.keys(
      site.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] } } }),
    );
    const policies = Object.values(site.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: replicationRole }]));
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) => [s.Action].flat()),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).toMatch(/^s3:(GetReplicationConfiguration|ListBucket|GetObjectVersion(ForReplication|Acl|Tagging)|Replicate(Object|Delete|Tags)|ObjectOwnerOverrideToBucketOwner)$/);
    }
  });

  test('only TLS requests and the distribution reach the content bucket', () => {
    site.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^ContentBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('distribution: origin group fails over from the content bucket to the replica on 5xx, with short connection settings', () => {
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({ ConnectionTimeout: 2, ConnectionAttempts: 1, OriginAccessControlId: Match.anyValue(), DomainName: Match.anyValue() }),
          Match.objectLike({
            ConnectionTimeout: 2,
            ConnectionAttempts: 1,
            OriginAccessControlId: Match.anyValue(),
            DomainName: 'acme-prod-replica-111111111111-us-west-2.s3.us-west-2.amazonaws.com',
          }),
        ],
        OriginGroups: {
          Quantity: 1,
          Items: [
            Match.objectLike({
              FailoverCriteria: { StatusCodes: { Items: [500, 502, 503, 504], Quantity: 4 } },
              Members: { Quantity: 2, Items: Match.anyValue() },
            }),
          ],
        },
      }),
    });
  });

  test('distribution: HTTPS only with TLS 1.2_2021, HTTP/2 and 3, IPv6, compression, logging, WAF and the domain', () => {
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['www.example.com'],
        DefaultRootObject: 'index.html',
        HttpVersion: 'http2and3',
        IPV6Enabled: true,
        Logging: Match.objectLike({ Bucket: Match.anyValue(), Prefix: 'cloudfront/primary/' }),
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
        WebACLId: Match.anyValue(),
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, ResponseHeadersPolicyId: Match.anyValue() }),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 10 },
          { ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 10 },
        ],
      }),
    });
  });

  test('origin failover settings are configurable', () => {
    const t = synthesize(withProd({ originFailover: { connectionTimeoutSeconds: 5, connectionAttempts: 2 } }), 'prod').template('prod', 'site');
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Origins: Match.arrayWith([Match.objectLike({ ConnectionTimeout: 5, ConnectionAttempts: 2 })]) }),
    });
  });

  test('security headers are exactly the site contract the validation runbook checks', () => {
    site.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Preload: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], Override: true },
        },
        CustomHeadersConfig: { Items: [{ Header: 'Permissions-Policy', Value: SECURITY_HEADERS['permissions-policy'], Override: true }] },
      }),
    });
    expect(SECURITY_HEADERS['content-security-policy']).toMatch(/default-src 'self'/);
    expect(SECURITY_HEADERS['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  test('alarms: replication more than 15 minutes behind, and any failed replication, notify the alert topic', () => {
    const dimensions = [
      { Name: 'DestinationBucket', Value: 'acme-prod-replica-111111111111-us-west-2' },
      { Name: 'RuleId', Value: 'replicate-everything' },
      { Name: 'SourceBucket', Value: 'acme-prod-content-111111111111-us-east-1' },
    ];
    site.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: dimensions,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    });
    site.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: 'OperationsFailedReplication',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: dimensions,
    });
    site.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    site.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  test('without a domain there are no aliases and no custom certificate', () => {
    const staging = synth.template('staging', 'site');
    const [distribution] = Object.values(staging.findResources('AWS::CloudFront::Distribution'));
    expect(distribution.Properties.DistributionConfig.Aliases).toBeUndefined();
    expect(distribution.Properties.DistributionConfig.WebACLId).toBeUndefined();
  });
});

describe('directory index', () => {
  const site = synthesize(undefined, 'prod').template('prod', 'site');

  test('a viewer-request CloudFront Function serves folder paths from their index document', () => {
    site.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }), FunctionCode: DIRECTORY_INDEX_FUNCTION });
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() }] }),
      }),
    });
  });

  test('the function and the local origin apply the same rule', () => {
    // Run the function's own source on CloudFront-shaped events.
    const handler = new Function(`${DIRECTORY_INDEX_FUNCTION}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    for (const uri of ['/', '/about/', '/blog/first-post.html', '/assets/site.css', '/a/b/']) {
      expect(handler({ request: { uri } }).uri).toBe(`/${objectKeyFor(uri)}`);
    }
  });
});
