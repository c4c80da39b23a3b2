import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stacksOf } from '../../lib/site-dr-app';
import { synthesize, withProd } from './fixtures';

// Every stack of every variant: prod with a domain and WAF, a cross-account KMS vault, staging and dev without a domain.
const variants = [
  synthesize(),
  synthesize(withProd({ vault: { account: '222222222222', kmsKey: true, objectLockMode: 'COMPLIANCE' } }), 'prod'),
];
const allStacks: Stack[] = variants.flatMap((v) => [...v.stacks.values()].flatMap(stacksOf));
const cases = allStacks.map((s) => [`${s.stackName}${s.account === '222222222222' ? ' (vault account)' : ''}`, s] as const);

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
}
const statementsOf = (template: Template, type: string): Statement[] =>
  Object.values(template.findResources(type)).flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);

describe.each(cases)('%s', (_, stack) => {
  const template = Template.fromStack(stack);

  test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  test('every bucket blocks public access, is encrypted, and has a TLS-only policy', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
      const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
      expect(policy).toBeDefined();
      expect(JSON.stringify(policy!.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  test('no IAM or resource policy allows a wildcard action on a wildcard resource, or anything to everyone', () => {
    const statements = [
      ...statementsOf(template, 'AWS::IAM::Policy'),
      ...Object.values(template.findResources('AWS::IAM::Role')).flatMap(
        (r) => (r.Properties.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement),
      ),
      ...statementsOf(template, 'AWS::S3::BucketPolicy'),
    ];
    for (const s of statements.filter((st) => st.Effect === 'Allow')) {
      const actions = [s.Action ?? []].flat();
      const resources = [s.Resource ?? []].flat();
      const wildcardAction = actions.some((a) => a === '*' || a.endsWith(':*'));
      expect(wildcardAction && resources.includes('*')).toBe(false);
      expect(s.Principal).not.toEqual({ AWS: '*' });
      expect(s.Principal).not.toEqual('*');
    }
  });
});

test('the checks above saw every kind of stack', () => {
  expect(new Set(cases.map(([name]) => name.replace(/^acme-\w+-/, '')))).toEqual(
    new Set(['edge', 'vault', 'vault (vault account)', 'replica', 'site', 'dns', 'monitoring', 'runbooks']),
  );
});

test('the nag check does report an unacknowledged finding (guards the check above)', () => {
  const stack = new Stack(new App(), 'Careless');
  new s3.Bucket(stack, 'NoLogsNoTls');
  const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
});
