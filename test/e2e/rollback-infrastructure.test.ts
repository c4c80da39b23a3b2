/**
 * Rollback, infrastructure_only: change sets back to the templates stored when the release was
 * recorded, approved, executed, followed, then the site validated. moto has no change sets worth
 * the name, so CloudFormation is answered by aws-sdk-client-mock; the vault (templates, releases,
 * audit) and every handler are real.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { runRunbook } from '../../local/runbooks';
import { publish, sampleSite } from '../../local/sample-site';
import { allVersions, causeMessage, ending, FAILURE_FRAME } from './runs';
import { keysUnder, pause, setUpWorld, TestWorld } from './world';

let t: TestWorld;
const cfn = mockClient(CloudFormationClient);
let stacks: Array<{ name: string; region: string }>;
let beforeRelease: string;
let afterRelease: string;

beforeAll(async () => {
  t = await setUpWorld('e2einfra');
  stacks = t.runbooks.environments
    .get('infra-rollback')!
    .SITEDR_ROLLBACK_STACKS.split(',')
    .map((e) => ({ name: e.split('@')[0], region: e.split('@')[1] }));
  // Templates as the template backup stores them: one from before the release, one from after.
  beforeRelease = new Date(Date.now() - 60_000).toISOString();
  for (const s of stacks) {
    await t.s3.send(new PutObjectCommand({ Bucket: t.world.buckets.vault, Key: `templates/${s.name}/${beforeRelease}.json`, Body: '{"Resources":{}}', ChecksumAlgorithm: 'CRC32' }));
  }
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
  const release = await runRunbook(t.world, t.runbooks, 'backup', { mode: 'release', release: { id: 'v1', commit: 'abc1234' }, requestedBy: 'ci' });
  expect(ending(release)).toEqual({ status: 'SUCCEEDED' });
  await pause(20);
  afterRelease = new Date().toISOString();
  for (const s of stacks) {
    await t.s3.send(new PutObjectCommand({ Bucket: t.world.buckets.vault, Key: `templates/${s.name}/${afterRelease}.json`, Body: '{"Resources":{"New":{}}}', ChecksumAlgorithm: 'CRC32' }));
  }
});
afterAll(async () => {
  cfn.restore();
  await t.close();
});

/** CloudFormation as a deployment sees it: one stack already matches the release, the others change. */
function answerLikeCloudFormation(): void {
  cfn.reset();
  const unchanged = stacks[0].name;
  const polls = new Map<string, number>();
  const nth = (key: string) => {
    polls.set(key, (polls.get(key) ?? 0) + 1);
    return polls.get(key)!;
  };
  cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
  cfn.on(DescribeChangeSetCommand).callsFake((input) =>
    input.StackName === unchanged
      ? { Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." }
      : { Status: nth(`cs:${input.StackName}`) === 1 ? 'CREATE_PENDING' : 'CREATE_COMPLETE' },
  );
  cfn.on(ExecuteChangeSetCommand).resolves({});
  cfn.on(DescribeStacksCommand).callsFake((input) => ({
    Stacks: [{ StackName: input.StackName, CreationTime: new Date(), Parameters: [{ ParameterKey: 'BootstrapVersion', ParameterValue: '/cdk-bootstrap/hnb659fds/version' }], StackStatus: nth(`stack:${input.StackName}`) <= 1 ? 'UPDATE_COMPLETE' : nth(`stack:${input.StackName}`) === 2 ? 'UPDATE_IN_PROGRESS' : 'UPDATE_COMPLETE' }],
  }));
}

const input = { method: 'infrastructure_only', releaseId: 'v1', reason: 'roll back the broken CDN change', requestedBy: 'jane@example.com' };

it('creates change sets from the templates stored before the release, waits for approval, executes, follows, validates', async () => {
  answerLikeCloudFormation();
  const before = await allVersions(t.s3, t.world.buckets.content);
  const run = await runRunbook(t.world, t.runbooks, 'rollback', input, { settings: { SITEDR_APPROVAL_REQUIRED: 'true' }, approval: 'approve' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.visitedStates).toEqual(
    expect.arrayContaining(['ResolveRollback', 'PlanInfrastructure', 'ChangeSetsStatus', 'ChangeSetsWait', 'RequestInfrastructureApproval', 'ExecuteChangeSets', 'StacksStatus', 'ValidateInfrastructure', 'Report']),
  );
  // Every stack but the runbook stack, each from the template it had when the release was recorded.
  const created = cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input);
  expect(created.map((c) => c.StackName).sort()).toEqual(stacks.map((s) => s.name).sort());
  expect(stacks.filter((s) => s.name.endsWith('-runbooks'))).toEqual([]);
  for (const c of created) {
    expect(c.TemplateURL).toBe(`https://${t.world.buckets.vault}.s3.${t.world.config.vault.region}.amazonaws.com/templates/${c.StackName}/${beforeRelease}.json`);
    expect(c.Parameters).toEqual([{ ParameterKey: 'BootstrapVersion', UsePreviousValue: true }]);
    expect(c.RoleARN).toMatch(/^arn:aws:iam::123456789012:role\/cdk-hnb659fds-cfn-exec-role-123456789012-[a-z0-9-]+$/);
  }
  // The stack that already matches is not executed.
  expect(cfn.commandCalls(ExecuteChangeSetCommand).map((c) => c.args[0].input.StackName).sort()).toEqual(stacks.slice(1).map((s) => s.name).sort());
  // The approver saw the change sets.
  const approval = run.notifications.find((n) => n.stateName === 'RequestInfrastructureApproval')!;
  expect(approval.message).toContain('sitedr approve ');
  expect(approval.message).toContain(`${stacks[1].name}`);
  // Content untouched; the rollback is audited.
  expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(before);
  expect(await keysUnder(t.s3, t.world.buckets.vault, `audit/rollback/${run.executionName}.json`)).toHaveLength(1);
});

it('a dry run creates and shows the change sets, and executes nothing', async () => {
  answerLikeCloudFormation();
  const run = await runRunbook(t.world, t.runbooks, 'rollback', { ...input, dryRun: true });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.visitedStates).toContain('InfrastructureDryRun?');
  expect(run.visitedStates).not.toContain('ExecuteChangeSets');
  expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  expect(run.output.outcome.changeSets.changeSets.map((c: { state: string }) => c.state)).toEqual(['no-changes', ...stacks.slice(1).map(() => 'ready')]);
});

it('a change set CloudFormation cannot create ends the run before anything is executed', async () => {
  answerLikeCloudFormation();
  cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template format error: unsupported structure.' });
  const run = await runRunbook(t.world, t.runbooks, 'rollback', input);
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'ChangeSetFailed' });
  expect(run.visitedStates).toEqual(expect.arrayContaining(['ChangeSetsStatus', 'ChangeSetsFailed', ...FAILURE_FRAME]));
  expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
});

it('a stack update that rolls back fails the run with StackUpdateFailed', async () => {
  answerLikeCloudFormation();
  cfn.on(DescribeStacksCommand).callsFake((i) => ({ Stacks: [{ StackName: i.StackName, CreationTime: new Date(), Parameters: [], StackStatus: 'UPDATE_ROLLBACK_COMPLETE' }] }));
  const run = await runRunbook(t.world, t.runbooks, 'rollback', input);
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'StackUpdateFailed' });
});

it('a release from before any stored template: NotFound, nothing created', async () => {
  answerLikeCloudFormation();
  await t.s3.send(new PutObjectCommand({ Bucket: t.world.buckets.vault, Key: 'releases/v0/manifest.json', Body: JSON.stringify({ format: 'sitedr-release/1', release: 'v0', commit: 'abc1234', createdAt: '2020-01-01T00:00:00.000Z', bucket: t.world.buckets.content, files: { 'index.html': 'x' } }), ChecksumAlgorithm: 'CRC32' }));
  const run = await runRunbook(t.world, t.runbooks, 'rollback', { ...input, releaseId: 'v0' });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'NotFound' });
  expect(causeMessage(run)).toMatch(/holds no template of .* from before 2020-01-01T00:00:00\.000Z/);
  expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
});
