import { Match, Template } from 'aws-cdk-lib/assertions';
import { RUNBOOK_NAMES } from '../../lambda/shared/runbook-inputs';
import { allStates, extractStateMachines } from '../../local/asl';
import { synthesize, withProd } from './fixtures';

const synth = synthesize();
const prod = synth.template('prod', 'runbooks');
const machines = extractStateMachines(prod.toJSON());

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
/** Actions each task role may perform, by handler (from the role name). */
function actionsByTaskRole(template: Template): Map<string, string[]> {
  // Task roles only (the state machines' roles are named acme-prod-runbook-sm-*).
  const roles = Object.fromEntries(
    Object.entries(template.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.stringLikeRegexp('^acme-prod-runbook-') } })).filter(
      ([, r]) => !(r.Properties.RoleName as string).startsWith('acme-prod-runbook-sm-'),
    ),
  );
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const out = new Map<string, string[]>();
  for (const [logicalId, role] of Object.entries(roles)) {
    const handler = (role.Properties.RoleName as string).replace('acme-prod-runbook-', '');
    const statements = policies
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    out.set(handler, statements.flatMap((s) => [s.Action].flat()));
  }
  return out;
}

describe('RunbookStack', () => {
  test('is deployed in the recovery region', () => {
    expect(synth.stacks.get('prod')!.runbooks.region).toBe('us-west-2');
  });

  test('all eight runbooks exist, named <project>-<env>-<runbook> and tagged', () => {
    expect([...machines.keys()].sort()).toEqual(RUNBOOK_NAMES.map((n) => `acme-prod-${n}`).sort());
    for (const name of RUNBOOK_NAMES) {
      prod.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `acme-prod-${name}`,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
        Tags: Match.arrayWith([{ Key: 'sitedr:runbook', Value: name }]),
      });
    }
  });

  test('without a domain there is nothing to fail over: no failover runbook', () => {
    const staging = extractStateMachines(synth.template('staging', 'runbooks').toJSON());
    expect(staging.has('acme-staging-failover')).toBe(false);
    expect(staging.size).toBe(7);
  });

  test.each(RUNBOOK_NAMES)('%s: a timeout, a failure alarm to the alert topic, and the common frame', (name) => {
    const { definition } = machines.get(`acme-prod-${name}`)!;
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    const states = new Map(allStates(definition).map((s) => [s.stateName, s.state]));
    // Frame: input checked first; every failure after that is reported and notified, then fails with its own error.
    expect(definition.StartAt).toBe('Prepare');
    expect(states.get('Prepare')).toMatchObject({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Rejected' }] });
    expect(states.get('Rejected')).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(states.get('ReportFailure')).toMatchObject({ Type: 'Task', Next: 'NotifyFailure' });
    expect(states.get('NotifyFailure')).toMatchObject({ Type: 'Task', Resource: expect.stringContaining(':sns:publish'), Next: 'Failed' });
    expect(states.get('Failed')).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error' });
    expect(states.get('Report')).toMatchObject({ Next: 'Notify' });
    // Every top-level task and map after Prepare routes its failures to the failure report.
    for (const { stateName, state, parents } of allStates(definition)) {
      // Notifications never fail a run: a failed progress update lets the recovery go on.
      if (parents.length > 0 || !['Task', 'Map'].includes(state.Type) || ['Prepare', 'ReportFailure', 'NotifyFailure', 'Notify', 'NotifyProgress'].includes(stateName)) continue;
      expect({ stateName, catch: state.Catch }).toEqual({ stateName, catch: [expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'ReportFailure', ResultPath: '$.error' })] });
    }
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp(`^The ${name} runbook failed, timed out or was aborted`),
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted' })]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    });
  });

  test('restore: plan, dry-run stop, approval by task token, inline and distributed execution, invalidation, validation', () => {
    const { definition } = machines.get('acme-prod-restore')!;
    const states = new Map(allStates(definition).map((s) => [s.stateName, s.state]));
    expect(states.get('RequestApproval')).toMatchObject({ Resource: expect.stringMatching(/sns:publish\.waitForTaskToken$/), TimeoutSeconds: 86400 });
    expect(states.get('ExecuteBatches')).toMatchObject({ Type: 'Map', ItemsPath: '$.outcome.plan.batches' });
    expect(states.get('ExecuteBatchesDistributed')).toMatchObject({
      Type: 'Map',
      ItemReader: { Resource: expect.stringContaining('s3:getObject'), ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'acme-prod-vault-111111111111-us-west-2', 'Key.$': '$.outcome.plan.batchIndex.key' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    // Nothing to change: no approval, no execution, no invalidation.
    expect(states.get('AnythingToChange?')).toMatchObject({ Choices: [{ Variable: '$.outcome.plan.operations', NumericEquals: 0, Next: 'Report' }], Default: 'NeedsApproval?' });
    expect(states.get('NeedsApproval?')).toMatchObject({ Choices: [{ Variable: '$.run.approvalRequired', BooleanEquals: true, Next: 'RequestApproval' }], Default: 'NotifyProgress' });
    expect(states.get('RequestApproval')).toMatchObject({ Next: 'NotifyProgress' });
    // The incident "update" before the batches run; a failed publish does not stop the recovery.
    expect(states.get('NotifyProgress')).toMatchObject({ Next: 'InlineBatches?', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'InlineBatches?' }] });
    expect(states.get('InlineBatches?')).toMatchObject({ Choices: [{ Variable: '$.outcome.plan.batches[0]', IsPresent: true, Next: 'ExecuteBatches' }], Default: 'ExecuteBatchesDistributed' });
    expect(states.get('DryRun?')).toMatchObject({
      Choices: [{ And: [{ Variable: '$.run.input.dryRun', IsPresent: true }, { Variable: '$.run.input.dryRun', BooleanEquals: true }], Next: 'Report' }],
    });
    expect(states.get('ValidateSitePassed?')).toMatchObject({ Default: 'ValidateSiteFailed' });
  });

  test('schedules: daily backup, first-Monday drill, weekly log export, daily template backup (prod); quarterly full drill (staging)', () => {
    const schedules = Object.values(prod.findResources('AWS::Scheduler::Schedule')).map((s) => [s.Properties.ScheduleExpression, JSON.parse(s.Properties.Target.Input)]);
    expect(schedules).toEqual(
      expect.arrayContaining([
        ['cron(0 3 * * ? *)', { mode: 'snapshot', requestedBy: 'schedule' }],
        ['cron(0 6 ? * MON#1 *)', { kind: 'content', requestedBy: 'schedule' }],
        ['cron(0 4 ? * SUN *)', {}],
        ['cron(30 3 * * ? *)', { requestedBy: 'schedule' }],
      ]),
    );
    expect(schedules).toHaveLength(4);
    const staging = Object.values(synth.template('staging', 'runbooks').findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.ScheduleExpression);
    expect(staging).toContain('cron(0 8 ? 1,4,7,10 MON#1 *)');
    // dev turns drills and log exports off.
    expect(Object.keys(synth.template('dev', 'runbooks').findResources('AWS::Scheduler::Schedule'))).toHaveLength(2);
  });

  test('tasks: pinned newest Node.js runtime, arm64, tracing, source maps', () => {
    const functions = Object.values(prod.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(functions).toHaveLength(17);
    for (const f of functions) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs26.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  test('least privilege: only the batch executor may remove delete markers, only move-alias moves aliases, nobody deletes in the vault', () => {
    const actions = actionsByTaskRole(prod);
    expect(actions.size).toBe(17);
    const holders = (action: string) => [...actions].filter(([, a]) => a.includes(action)).map(([h]) => h);
    expect(holders('s3:DeleteObjectVersion')).toEqual(['execute-batch']);
    expect(holders('cloudfront:AssociateAlias')).toEqual(['move-alias']);
    expect(holders('cloudfront:CreateInvalidation')).toEqual(['invalidate']);
    expect(holders('states:ListExecutions')).toEqual(['prepare-run']);
    for (const [handler, list] of actions) {
      for (const action of list) expect(`${handler}: ${action}`).not.toMatch(/:\*$|^[^:]+: \*$/);
    }
    // Vault writes carry no delete; the report may only write under reports/.
    const policies = JSON.stringify(prod.findResources('AWS::IAM::Policy'));
    expect(policies).not.toMatch(/s3:(DeleteBucket|PutBucketPolicy|PutLifecycleConfiguration|BypassGovernanceRetention)/);
  });

  test('dashboard and recovery alarms', () => {
    prod.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'acme-prod-disaster-recovery' });
    const body = JSON.stringify(prod.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['ReplicationLatency', 'RecoveryTimeMinutes', 'RecoveryPointMinutes', '5xxErrorRate', '4xxErrorRate', 'CacheHitRate', 'HealthCheckStatus']) expect(body).toContain(metric);
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunbookSucceeded',
      Namespace: 'SiteDR',
      Dimensions: [{ Name: 'Environment', Value: 'prod' }, { Name: 'Runbook', Value: 'backup' }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RecoveryTimeMinutes', Threshold: 60, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('CloudFront error-rate alarms: 5xx above 1 %, 4xx above 5 %, for both distributions, in us-east-1', () => {
    const monitoring = synth.template('prod', 'monitoring');
    expect(synth.stacks.get('prod')!.monitoring.region).toBe('us-east-1');
    for (const [metric, limit] of [['5xxErrorRate', 1], ['4xxErrorRate', 5]] as const) {
      expect(monitoring.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric, Threshold: limit, Namespace: 'AWS/CloudFront' } })).toEqual(expect.any(Object));
      expect(Object.keys(monitoring.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric, Threshold: limit } }))).toHaveLength(2);
    }
  });

  test('the drill bucket is private, versioned, and expires what drills leave', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });
});

describe('template backup after deployments', () => {
  test("a rule starts the template-backup runbook when one of the environment's stacks finishes deploying", () => {
    prod.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudformation'],
        'detail-type': ['CloudFormation Stack Status Change'],
        detail: { 'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] } },
        resources: [{ wildcard: 'arn:*:cloudformation:*:111111111111:stack/acme-prod-*' }],
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^TemplateBackupStateMachine') }, Input: JSON.stringify({ requestedBy: 'deployment' }) })],
    });
  });

  test('the site stack forwards its region\'s deployment events to the recovery region', () => {
    synth.template('prod', 'site').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.cloudformation'] }),
      Targets: [Match.objectLike({ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-west-2:111111111111:event-bus/default']] } })],
    });
  });
});

describe('automatic failover', () => {
  test('off by default: the health alarm only notifies', () => {
    expect(prod.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.cloudwatch'] } } })).toEqual({});
  });

  test('on: the alarm is forwarded from us-east-1 and starts the failover runbook', () => {
    const auto = synthesize(withProd({ automaticFailover: true }), 'prod');
    auto.template('prod', 'runbooks').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } }, resources: [Match.anyValue()] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^FailoverStateMachine') }, Input: Match.stringLikeRegexp('"direction":"failover"') })],
    });
    auto.template('prod', 'dns').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.cloudwatch'] }),
      Targets: [Match.objectLike({ Arn: Match.objectLike({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-west-2:111111111111:event-bus/default']] }) })],
    });
  });
});
