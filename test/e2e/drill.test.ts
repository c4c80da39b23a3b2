/**
 * The drill runbook end to end: the monthly content drill (newest snapshot into the isolated
 * drill bucket, verified, RTO/RPO measured) and the quarterly full drill (the live bucket
 * recovered from the vault, validated). The tests run in order: the first one needs an empty vault.
 */
import { VerificationFailed } from '../../lambda/shared/errors';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { allVersions, asContents, causeMessage, contents, ending, FAILURE_FRAME, reportOf } from './runs';
import { setUpWorld, TestWorld } from './world';

let t: TestWorld;
beforeAll(async () => {
  t = await setUpWorld('e2edrill');
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
});
afterAll(() => t.close());

it('with no snapshot in the vault: FAILED with NotFound, reported, nothing restored', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'drill', {});
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'NotFound' });
  expect(causeMessage(run)).toMatch(/holds no snapshot yet; run the backup runbook first/);
  expect(run.visitedStates).toEqual(['Prepare', 'StartOutcome', 'Kind?', 'PlanDrill', ...FAILURE_FRAME]);
  expect(await allVersions(t.s3, t.world.buckets.drill)).toEqual([]);
  expect(await reportOf(t, 'drill', run)).toMatchObject({ status: 'FAILED', error: { name: 'NotFound' } });
});

it('after a backup: restores the newest snapshot into the drill bucket, verifies it, measures RTO and RPO', async () => {
  const backup = await runRunbook(t.world, t.runbooks, 'backup', {});
  expect(backup.status).toBe('SUCCEEDED');
  const contentBefore = await allVersions(t.s3, t.world.buckets.content);

  const run = await runRunbook(t.world, t.runbooks, 'drill', {});
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  const { outcome } = run.output;
  expect(outcome.plan).toMatchObject({ targetBucket: t.world.buckets.drill, source: { kind: 'snapshot', snapshotId: backup.output.outcome.snapshot.id } });
  expect(outcome.snapshotVerification).toEqual({ snapshotId: backup.output.outcome.snapshot.id, checked: 7 });
  expect(await contents(t.s3, t.world.buckets.drill)).toEqual(asContents(sampleSite('v1')));
  // Never the live site: the content bucket is untouched, nothing invalidated, no approval asked.
  expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(contentBefore);
  expect(run.visitedStates).not.toContain('Invalidate');
  expect(run.visitedStates).not.toContain('RequestApproval');

  const report = await reportOf(t, 'drill', run);
  // staging: RTO 4 h, RPO 1 h. The measurements are minutes, the targets the tier's.
  expect(report.rto).toMatchObject({ targetMinutes: 240, met: true });
  expect(report.rpo).toMatchObject({ targetMinutes: 60, met: true });
  expect(report.rto.minutes).toBeGreaterThanOrEqual(0);
  expect(report.rpo.minutes).toBeGreaterThanOrEqual(0);
  expect(report.totals).toMatchObject({ copied: 7, verified: 7 });
});

it('a snapshot that fails verification ends the drill in the failure report', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'drill', {}, {
    handlerOverrides: {
      VerifyDrillSnapshot: () => {
        throw new VerificationFailed([{ key: 'index.html', expected: 'sha256 abc', actual: 'sha256 def' }], 'snapshot verification');
      },
    },
  });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'VerificationFailed' });
  expect(run.visitedStates).toEqual(expect.arrayContaining(['VerifyDrillSnapshot', ...FAILURE_FRAME]));
  expect((await reportOf(t, 'drill', run)).error.cause).toContain('index.html: expected sha256 abc, found sha256 def');
});

it("kind 'full': recovers the live content bucket from the snapshot and validates the site", async () => {
  await corrupt(t.s3, t.world.buckets.content);
  const run = await runRunbook(t.world, t.runbooks, 'drill', { kind: 'full' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.visitedStates).toEqual(expect.arrayContaining(['PlanFullRecovery', 'RecoverBatches', 'RecoverBatch', 'InvalidateRecovered', 'ValidateRecoveredSite']));
  expect(run.visitedStates).not.toContain('PlanDrill');
  expect(run.output.outcome.plan.targetBucket).toBe(t.world.buckets.content);
  expect(run.output.outcome.validation.passed).toBe(true);
  expect(await contents(t.s3, t.world.buckets.content)).toEqual(asContents(sampleSite('v1')));
});

it('bad input is rejected at Prepare', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'drill', { kind: 'partial' });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/^kind: /);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
});

it("kind 'full' is refused where no full drill is scheduled (prod by default): it would recover the live site", async () => {
  const before = await contents(t.s3, t.world.buckets.content);
  const run = await runRunbook(t.world, t.runbooks, 'drill', { kind: 'full' }, { settings: { SITEDR_FULL_DRILL_ALLOWED: 'false' } });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/^a full drill recovers this environment's live site from the vault; staging has no fullDrill schedule/);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
  expect(await contents(t.s3, t.world.buckets.content)).toEqual(before);
});
