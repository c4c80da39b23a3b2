/**
 * Releases and rollback end to end: the backup runbook in release mode records a release,
 * validates the site and marks the release good; the rollback runbook brings a release back
 * (the newest good one, or one by id), always leaving an audit record. The tests run in order.
 */
import { startLocalOrigin, LocalOrigin } from '../../local/origin';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { allVersions, asContents, causeMessage, contents, ending, FAILURE_FRAME, reportOf } from './runs';
import { keysUnder, setUpWorld, TestWorld, text } from './world';

let t: TestWorld;
let headerless: LocalOrigin;
beforeAll(async () => {
  t = await setUpWorld('e2eroll');
  headerless = await startLocalOrigin({ s3: t.s3, bucket: t.world.buckets.content, headers: {} });
});
afterAll(async () => {
  await headerless.close();
  await t.close();
});

const reason = 'roll back the broken release';
const requestedBy = 'release-manager@example.com';
const rollback = (input: Record<string, unknown>, opts = {}) => runRunbook(t.world, t.runbooks, 'rollback', { reason, requestedBy, ...input }, opts);

describe('backup in release mode', () => {
  it('records the release, validates the site and marks the release good', async () => {
    await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
    const run = await runRunbook(t.world, t.runbooks, 'backup', { mode: 'release', release: { id: 'v1', commit: 'abc1234' }, requestedBy: 'ci' });
    expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['Snapshot', 'VerifySnapshot', 'RecordRelease', 'ValidateRelease', 'MarkReleaseGood', 'Report']));
    expect(run.output.outcome.release).toMatchObject({ releaseId: 'v1', commit: 'abc1234', files: 7 });
    expect(run.output.outcome.releaseGood).toEqual({ releaseId: 'v1', good: true });
    expect(await keysUnder(t.s3, t.world.buckets.vault, 'releases/')).toEqual(expect.arrayContaining([expect.stringContaining('v1')]));
  });

  it('a release that fails validation is recorded but never marked good (ValidationFailed, reported)', async () => {
    await publish(t.s3, t.world.buckets.content, sampleSite('v2'));
    const releasesBefore = await keysUnder(t.s3, t.world.buckets.vault, 'releases/');
    const run = await runRunbook(t.world, t.runbooks, 'backup', { mode: 'release', release: { id: 'v2', commit: 'def5678' } }, { settings: { SITEDR_SITE_URL: headerless.url } });
    expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['RecordRelease', 'ValidateRelease', 'ValidateReleaseFailed', ...FAILURE_FRAME]));
    expect(run.visitedStates).not.toContain('MarkReleaseGood');
    // Only the v2 manifest was added: no "good" marker.
    const added = (await keysUnder(t.s3, t.world.buckets.vault, 'releases/')).filter((k) => !releasesBefore.includes(k));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain('v2');
    expect(await reportOf(t, 'backup', run)).toMatchObject({ status: 'FAILED', error: { name: 'ValidationFailed' } });
  });

  it('bad input: release mode without a release is rejected at Prepare', async () => {
    const run = await runRunbook(t.world, t.runbooks, 'backup', { mode: 'release' });
    expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(run)).toMatch(/^release: expected release \{id, commit\} when mode is release/);
    expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
  });
});

describe('rollback', () => {
  it('last_known_good: restores the newest release marked good (v1, not the failed v2), with an audit record', async () => {
    await corrupt(t.s3, t.world.buckets.content);
    const run = await rollback({ method: 'last_known_good' });
    expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
    expect(run.output.outcome.rollback).toMatchObject({ releaseId: 'v1', commit: 'abc1234', method: 'last_known_good', restoresContent: true });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['ResolveRollback', 'Plan', 'ExecuteBatches', 'Invalidate', 'ValidateSite', 'Report']));
    expect(await contents(t.s3, t.world.buckets.content)).toEqual(asContents(sampleSite('v1')));

    const auditUrl = run.output.outcome.rollback.auditRecord as string;
    expect(auditUrl).toBe(`s3://${t.world.buckets.vault}/audit/rollback/${run.executionName}.json`);
    const audit = JSON.parse(await text(t.s3, t.world.buckets.vault, `audit/rollback/${run.executionName}.json`));
    expect(audit).toMatchObject({ requestedBy, reason, method: 'last_known_good', target: { releaseId: 'v1', commit: 'abc1234' }, dryRun: false });
  });

  it('release by id: brings back that release', async () => {
    const run = await rollback({ method: 'release', releaseId: 'v2' });
    expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
    expect(await contents(t.s3, t.world.buckets.content)).toEqual(asContents(sampleSite('v2')));
    const report = await reportOf(t, 'rollback', run);
    expect(report.undo.command).toContain(`--undo ${run.output.outcome.plan.undoManifestUrl}`);
  });

  it('an unknown release: NotFound from ResolveRollback, reported, nothing changed', async () => {
    const before = await allVersions(t.s3, t.world.buckets.content);
    const run = await rollback({ method: 'release', releaseId: 'v99' });
    expect(ending(run)).toEqual({ status: 'FAILED', error: 'NotFound' });
    expect(run.visitedStates).toEqual(['Prepare', 'StartOutcome', 'ResolveRollback', ...FAILURE_FRAME]);
    expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(before);
  });

  it('a reason under 10 characters is rejected at Prepare (InvalidInput), with no audit record', async () => {
    const auditBefore = await keysUnder(t.s3, t.world.buckets.vault, 'audit/');
    const run = await rollback({ method: 'last_known_good', reason: 'oops' });
    expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(run)).toMatch(/^reason: /);
    expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
    expect(await keysUnder(t.s3, t.world.buckets.vault, 'audit/')).toEqual(auditBefore);
  });
});
