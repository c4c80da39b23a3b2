/**
 * The restore runbook from each kind of source other than a point in time (covered by
 * backup-restore.test.ts): the newest snapshot, the replica, one key's version, un-deleting,
 * undoing an earlier restore from its report, and restoring into the drill bucket.
 */
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { allVersions, asContents, contents, ending, reportOf } from './runs';
import { pause, setUpWorld, TestWorld } from './world';

let t: TestWorld;
beforeAll(async () => {
  t = await setUpWorld('e2ersrc');
});
afterAll(() => t.close());

const reason = 'recover the site from the incident';
const requestedBy = 'oncall@example.com';
const restore = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) => runRunbook(t.world, t.runbooks, 'restore', { source, reason, requestedBy, ...extra });

it('snapshot (no id): restores the newest snapshot, not an older one', async () => {
  const { s3, world } = t;
  await publish(s3, world.buckets.content, sampleSite('v1'));
  expect((await runRunbook(world, t.runbooks, 'backup', {})).status).toBe('SUCCEEDED');
  // Snapshot ids start with their second: keep the two apart so "newest" is well defined.
  await pause(1100);
  await publish(s3, world.buckets.content, sampleSite('v2'));
  const second = await runRunbook(world, t.runbooks, 'backup', {});
  expect(second.status).toBe('SUCCEEDED');
  await corrupt(s3, world.buckets.content);

  const run = await restore({ type: 'snapshot' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.plan.source).toMatchObject({ kind: 'snapshot', snapshotId: second.output.outcome.snapshot.id });
  expect(await contents(s3, world.buckets.content)).toEqual(asContents(sampleSite('v2')));
  // The report adds up what the batches did, and measures the RPO from the snapshot's time.
  const report = await reportOf(t, 'restore', run);
  expect(report.totals).toMatchObject({ copied: 5, verified: 5 });
  expect(report.rpo).toMatchObject({ targetMinutes: 60, met: true });
});

it('replica: restores what the replica bucket holds', async () => {
  const { s3, world } = t;
  // moto stores a replication configuration but never replicates: fill the replica ourselves.
  await publish(s3, world.buckets.replica, sampleSite('v3'));
  await corrupt(s3, world.buckets.content);

  const run = await restore({ type: 'replica' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.validation.passed).toBe(true);
  expect(await contents(s3, world.buckets.content)).toEqual(asContents(sampleSite('v3')));
});

it('version: brings back one version of one key and leaves every other key alone', async () => {
  const { s3, world } = t;
  await publish(s3, world.buckets.content, sampleSite('v4'));
  const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: world.buckets.content, Prefix: 'about/index.html' }))).Versions!.filter((v) => v.Key === 'about/index.html');
  // Versions come newest first: the last is the v1 page the first test published.
  const v1 = versions[versions.length - 1];
  const before = await contents(s3, world.buckets.content);

  const run = await restore({ type: 'version', key: 'about/index.html', versionId: v1.VersionId });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.plan.operations).toBe(1);
  const after = await contents(s3, world.buckets.content);
  expect(after['about/index.html']).toBe(asContents(sampleSite('v1'))['about/index.html']);
  expect({ ...after, 'about/index.html': undefined }).toEqual({ ...before, 'about/index.html': undefined });
});

it('undelete: brings back what was deleted since a time, and nothing else', async () => {
  const { s3, world } = t;
  await publish(s3, world.buckets.content, sampleSite('v5'));
  await pause(1100);
  const since = new Date().toISOString();
  await pause(1100);
  const { corrupted, deleted } = await corrupt(s3, world.buckets.content);

  const run = await restore({ type: 'undelete', since });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  const after = await contents(s3, world.buckets.content);
  const v5 = asContents(sampleSite('v5'));
  for (const key of deleted) expect(after[key]).toBe(v5[key]);
  // Overwritten pages are not deletions: they stay as the incident left them.
  for (const key of corrupted) expect(after[key]).toBe('<h1>h4cked</h1>');
});

it('undo: the undo manifest from the report puts the bucket back exactly as it was before the restore', async () => {
  const { s3, world } = t;
  await publish(s3, world.buckets.content, sampleSite('v6'));
  await corrupt(s3, world.buckets.content);
  const beforeRestore = await contents(s3, world.buckets.content);
  const versionsBeforeRestore = await allVersions(s3, world.buckets.content);

  const restored = await restore({ type: 'snapshot' });
  expect(ending(restored)).toEqual({ status: 'SUCCEEDED' });
  expect(await contents(s3, world.buckets.content)).toEqual(asContents(sampleSite('v2')));

  // Exactly what an operator does: take the console input the report prints, and start it.
  const report = await reportOf(t, 'restore', restored);
  const undo = await runRunbook(world, t.runbooks, 'restore', { ...report.undo.consoleInput, requestedBy });
  expect(ending(undo)).toEqual({ status: 'SUCCEEDED' });
  expect(undo.output.outcome.plan.source).toMatchObject({ kind: 'undo' });
  expect(await contents(s3, world.buckets.content)).toEqual(beforeRestore);
  // Nothing was lost on the way there and back: every earlier version is still there.
  const versionsAfter = new Set(await allVersions(s3, world.buckets.content));
  for (const v of versionsBeforeRestore) expect(versionsAfter.has(v)).toBe(true);
});

it('target drill: restores into the drill bucket and never touches the content bucket or the live site', async () => {
  const { s3, world } = t;
  const before = await allVersions(s3, world.buckets.content);

  const run = await restore({ type: 'snapshot' }, { target: 'drill' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.plan.targetBucket).toBe(world.buckets.drill);
  expect(await contents(s3, world.buckets.drill)).toEqual(asContents(sampleSite('v2')));
  expect(await allVersions(s3, world.buckets.content)).toEqual(before);
  // The live site is not what changed: no invalidation, no validation of it.
  expect(run.visitedStates).toContain('ExecuteBatches');
  expect(run.visitedStates).not.toContain('Invalidate');
  expect(run.visitedStates).not.toContain('ValidateSite');
});
