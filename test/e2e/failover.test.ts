/**
 * The failover runbook end to end, in a prod environment with a domain (the runbook exists only
 * then). moto implements neither AssociateAlias nor ListConflictingAliases, so CloudFront is
 * answered by aws-sdk-client-mock (it patches every CloudFrontClient, the handlers' included)
 * with a small model: which distribution holds the site's hostname, and a change that is
 * InProgress for one read before it is Deployed.
 */
import {
  AssociateAliasCommand,
  CloudFrontClient,
  GetDistributionCommand,
  ListConflictingAliasesCommand,
} from '@aws-sdk/client-cloudfront';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../lib/config';
import { startLocalOrigin, LocalOrigin } from '../../local/origin';
import { runRunbook } from '../../local/runbooks';
import { publish, sampleSite } from '../../local/sample-site';
import { causeMessage, ending, FAILURE_FRAME, reportOf, timesVisited } from './runs';
import { setUpWorld, TestWorld } from './world';

const alias = 'www.example.com';
const config = parseConfig(
  { project: 'e2efover', account: '123456789012', environments: { prod: { domain: { zoneName: 'example.com', hostedZoneId: 'Z0123456789EXAMPLE', recordName: alias } } } },
  'prod',
).environments[0];

let t: TestWorld;
let headerless: LocalOrigin;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let cloudfront: AwsStub<any, any, any>;
/** The distribution that answers for the alias now. */
let holder: string;
/** Reads of a distribution that still see its last change InProgress. */
const inProgressReads = new Map<string, number>();

beforeAll(async () => {
  // The world's distributions are created in moto first; only then is CloudFront mocked.
  t = await setUpWorld('e2efover', 'prod', config);
  headerless = await startLocalOrigin({ s3: t.s3, bucket: t.world.buckets.content, headers: {} });
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
  cloudfront = mockClient(CloudFrontClient);
});
afterAll(async () => {
  cloudfront.restore();
  await headerless.close();
  await t.close();
});

beforeEach(() => {
  holder = t.world.distributionId;
  inProgressReads.clear();
  cloudfront.reset();
  // The fakes are async: the SDK's send returns a promise, and the adapters chain .catch on it.
  cloudfront.on(GetDistributionCommand).callsFake(async ({ Id }: { Id: string }) => {
    const pending = inProgressReads.get(Id) ?? 0;
    if (pending > 0) inProgressReads.set(Id, pending - 1);
    const aliases = Id === holder ? [alias] : [];
    return {
      Distribution: {
        Id,
        Status: pending > 0 ? 'InProgress' : 'Deployed',
        DomainName: `${Id.toLowerCase()}.cloudfront.net`,
        DistributionConfig: { Enabled: true, Aliases: { Quantity: aliases.length, Items: aliases } },
      },
    };
  });
  cloudfront.on(ListConflictingAliasesCommand).callsFake(async ({ Alias }: { Alias: string }) => ({
    // CloudFront masks the holder's id, as it does for real.
    ConflictingAliasesList: { Quantity: 1, MaxItems: 100, Items: Alias === alias ? [{ Alias, DistributionId: `*******${holder.slice(-4)}`, AccountId: '******789012' }] : [] },
  }));
  cloudfront.on(AssociateAliasCommand).callsFake(async ({ TargetDistributionId }: { TargetDistributionId: string }) => {
    holder = TargetDistributionId;
    inProgressReads.set(TargetDistributionId, 1);
    return {};
  });
});

const reason = 'primary region outage, moving traffic';
const requestedBy = 'oncall@example.com';
const associateCalls = () => cloudfront.commandCalls(AssociateAliasCommand).map((c) => c.args[0].input);

it('the prod environment asks for approval before restores (what the restore approval tests assume)', () => {
  expect(t.runbooks.environments.get('prepare-run')?.SITEDR_APPROVAL_REQUIRED).toBe('true');
  expect(t.runbooks.environments.get('move-alias')?.SITEDR_SITE_ALIAS).toBe(alias);
});

it('failover: checks the standby, moves the hostname to it, waits until Deployed, validates the site', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'failover', reason, requestedBy });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(associateCalls()).toEqual([{ TargetDistributionId: t.world.standbyDistributionId, Alias: alias }]);
  expect(holder).toBe(t.world.standbyDistributionId);
  expect(run.output.outcome.move).toMatchObject({ moved: true, from: `*******${t.world.distributionId.slice(-4)}`, direction: 'failover' });
  expect(run.output.outcome.preflight.passed).toBe(true);
  // One read saw the change InProgress: the runbook waited once, then saw it Deployed.
  expect(timesVisited(run, 'TargetStatus')).toBe(2);
  expect(timesVisited(run, 'DeployWait')).toBe(1);
  expect(run.output.outcome.target).toMatchObject({ distribution: 'standby', status: 'Deployed', aliases: [alias] });
  expect(run.visitedStates.indexOf('ValidateTarget')).toBeLessThan(run.visitedStates.indexOf('MoveAlias'));
  expect(run.visitedStates.indexOf('ValidateSite')).toBeGreaterThan(run.visitedStates.indexOf('MoveAlias'));
  const report = await reportOf(t, 'failover', run);
  expect(report).toMatchObject({ status: 'SUCCEEDED', reason, rto: { targetMinutes: 60, met: true } });
});

it('failover when the standby already holds the hostname changes nothing', async () => {
  holder = t.world.standbyDistributionId;
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'failover', reason, requestedBy });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.move).toMatchObject({ moved: false });
  expect(associateCalls()).toEqual([]);
});

it('failback: moves the hostname back to the primary distribution', async () => {
  holder = t.world.standbyDistributionId;
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'failback', reason, requestedBy });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.visitedStates).toContain('TargetPrimary');
  expect(associateCalls()).toEqual([{ TargetDistributionId: t.world.distributionId, Alias: alias }]);
  expect(holder).toBe(t.world.distributionId);
  expect(run.output.outcome.target).toMatchObject({ distribution: 'primary', status: 'Deployed' });
});

it('a standby that fails its preflight check (wrong headers): FAILED ValidationFailed, nothing moved', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'failover', reason, requestedBy }, { settings: { SITEDR_STANDBY_URL: headerless.url } });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
  expect(run.visitedStates).toEqual(['Prepare', 'StartOutcome', 'Direction?', 'TargetStandby', 'ValidateTarget', 'TargetHealthy?', 'TargetUnhealthy', ...FAILURE_FRAME]);
  expect(associateCalls()).toEqual([]);
  expect(holder).toBe(t.world.distributionId);
  const report = await reportOf(t, 'failover', run);
  expect(report.error.cause).toMatch(/nothing was switched/);
  expect(report.outcome.preflight.passed).toBe(false);
});

it('CloudFront refusing the move ends in the failure report with the error name', async () => {
  cloudfront.on(AssociateAliasCommand).rejects(Object.assign(new Error('The target distribution has no certificate covering the alias'), { name: 'IllegalUpdate' }));
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'failover', reason, requestedBy });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'AliasMoveRejected' });
  expect(run.visitedStates).toEqual(expect.arrayContaining(['MoveAlias', ...FAILURE_FRAME]));
  expect(holder).toBe(t.world.distributionId);
});

it('bad input is rejected at Prepare', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'failover', { direction: 'sideways', reason, requestedBy });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/^direction: /);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
});
