import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { keysUnder, pause, setUpWorld, TestWorld, text } from './world';

let t: TestWorld;
beforeAll(async () => {
  t = await setUpWorld('e2erestore');
});
afterAll(() => t.close());

const reason = 'restore after the incident drill';

test('backup -> incident -> point-in-time restore brings the site back, verified and validated, with a report', async () => {
  const { s3, world, runbooks } = t;
  await publish(s3, world.buckets.content, sampleSite('v1'));
  const backup = await runRunbook(world, runbooks, 'backup', {});
  expect(backup.status).toBe('SUCCEEDED');
  expect(backup.output.outcome.snapshot).toMatchObject({ count: 7, copied: 7 });
  expect(backup.output.outcome.snapshotVerification).toMatchObject({ checked: 7 });
  expect(await keysUnder(s3, world.buckets.vault, `snapshots/${backup.output.outcome.snapshot.id}/`)).toHaveLength(8);

  await pause(1100);
  const beforeIncident = new Date().toISOString();
  await pause(1100);
  const incident = await corrupt(s3, world.buckets.content);
  const versionsBefore = (await s3.send(new ListObjectVersionsCommand({ Bucket: world.buckets.content }))).Versions!.map((v) => v.VersionId);

  const restore = await runRunbook(world, runbooks, 'restore', { source: { type: 'pointInTime', at: beforeIncident }, reason, requestedBy: 'oncall@example.com' });
  expect({ status: restore.status, error: restore.error, cause: restore.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
  const { outcome } = restore.output;
  expect(outcome.plan.summary).toMatchObject({ copy: incident.corrupted.length + incident.deleted.length, hide: 0, unchanged: 2 });
  expect(restore.visitedStates).toEqual(expect.arrayContaining(['Prepare', 'Plan', 'ExecuteBatches', 'ExecuteBatch', 'Invalidate', 'ValidateSite', 'Report', 'Notify', 'Succeeded']));
  expect(restore.visitedStates).not.toContain('ExecuteBatchesDistributed');
  expect(outcome.validation.passed).toBe(true);
  // Both distributions are invalidated: after a failover the standby serves the hostname.
  expect(outcome.invalidation.invalidations.map((i: { distributionId: string }) => i.distributionId)).toEqual([world.distributionId, world.standbyDistributionId]);
  expect(outcome.invalidation.status).toBe('Completed');
  expect(await text(s3, world.buckets.content, 'index.html')).toContain('release v1');
  expect(await text(s3, world.buckets.content, 'assets/site.css')).toContain('v1');

  // Nothing lost: every version that existed before still exists.
  const versionsAfter = new Set((await s3.send(new ListObjectVersionsCommand({ Bucket: world.buckets.content }))).Versions!.map((v) => v.VersionId));
  for (const v of versionsBefore) expect(versionsAfter.has(v)).toBe(true);

  // The report: JSON and Markdown in the vault, measured against the tier, with the undo command.
  const report = JSON.parse(await text(s3, world.buckets.vault, restore.output.report.reportUrl.replace(`s3://${world.buckets.vault}/`, '')));
  expect(report).toMatchObject({ runbook: 'restore', status: 'SUCCEEDED', requestedBy: 'oncall@example.com', reason, rto: { targetMinutes: 240, met: true }, rpo: { targetMinutes: 60 } });
  expect(report.undo.command).toMatch(/^sitedr run restore --env staging --undo s3:\/\/.+undo\.jsonl/);
  expect(restore.notifications.map((n) => n.stateName)).toEqual(['NotifyProgress', 'Notify']);
  // The incident update before the batches ran: what was about to change.
  expect(restore.notifications[0].subject).toBe('[staging] UPDATE: restore in progress (P2) - Recovering');
  expect(restore.notifications[0].message).toMatch(/^📊 UPDATE: restore in progress \(P2\)\nEnvironment: staging\nStatus: Recovering\nProgress: plan \S+ ready: 5 to copy, 0 to hide, 0 to un-delete, 2 unchanged; executing in 1 batch\(es\)\n/);

  // Running the same restore again changes nothing (and needs no invalidation).
  const again = await runRunbook(world, runbooks, 'restore', { source: { type: 'pointInTime', at: beforeIncident }, reason, requestedBy: 'oncall@example.com' });
  expect(again.status).toBe('SUCCEEDED');
  expect(again.output.outcome.plan.operations).toBe(0);
  expect(again.visitedStates).not.toContain('ExecuteBatches');
  expect(again.visitedStates).not.toContain('Invalidate');
});
