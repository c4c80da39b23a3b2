/** The executor against the emulator: delete-marker safety, idempotent re-runs of a stored plan, plan storage. */
import { S3Client } from '@aws-sdk/client-s3';
import { executePlan } from '../../lambda/aws/execute';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { loadPlan, planPayload } from '../../lambda/aws/records';
import { Plan } from '../../lambda/core/plan';
import { restoreRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder } from '../support/history';
import { allVersions, createVersionedBucket, objectVersionIds, sorted, testClient, visibleContent } from '../support/s3';

let s3: S3Client;
let recordBucket: string;
beforeAll(async () => {
  s3 = testClient();
  recordBucket = await createVersionedBucket(s3, 'records');
});
afterAll(() => s3.destroy());

async function sitePlan(label: string): Promise<{ bucket: string; plan: Plan; expected: Map<string, string> }> {
  const bucket = await createVersionedBucket(s3, label);
  const h = new HistoryBuilder(s3, bucket);
  for (let i = 0; i < 5; i++) await h.put(`p${i}.html`, `p${i}`);
  const t = await h.checkpoint();
  for (let i = 0; i < 5; i++) await h.put(`p${i}.html`, `changed ${i}`);
  await h.put('new.html', 'new');
  const plan = await buildRestorePlan(s3, restoreRequest.parse({ bucket, source: { kind: 'pointInTime', at: t.at.toISOString() } }), { planId: label });
  return { bucket, plan, expected: new Map(t.content) };
}

test('a stored plan re-run with recheck skips what is done: no duplicate versions', async () => {
  const { bucket, plan, expected } = await sitePlan('rerun');
  expect(plan.summary).toMatchObject({ copy: 5, hide: 1 });
  const first = await executePlan(s3, bucket, plan.ops.slice(0, 3), { concurrency: 2 });
  expect(first).toMatchObject({ skipped: 0, failed: [] });
  expect(first.copied + first.hidden).toBe(3);
  const versionsAfterFirst = (await allVersions(s3, bucket)).length;
  // The whole plan again, as a retried Step Functions batch would: the first three are skipped.
  const second = await executePlan(s3, bucket, plan.ops, { concurrency: 2, recheck: true });
  expect(second).toMatchObject({ skipped: 3, failed: [] });
  expect([first.copied + second.copied, first.hidden + second.hidden]).toEqual([5, 1]);
  expect((await allVersions(s3, bucket)).length).toBe(versionsAfterFirst + 3);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(expected));
  const third = await executePlan(s3, bucket, plan.ops, { recheck: true });
  expect(third).toMatchObject({ copied: 0, hidden: 0, skipped: plan.ops.length });
});

test('removing delete markers is confirmed first; an object version is never deleted even if a plan says so', async () => {
  const bucket = await createVersionedBucket(s3, 'markers');
  const h = new HistoryBuilder(s3, bucket);
  const v1 = await h.put('a.html', 'a');
  const since = await h.checkpoint();
  await h.delete('a.html');
  const v2 = await h.put('b.html', 'b');
  const plan = await buildRestorePlan(s3, restoreRequest.parse({ bucket, source: { kind: 'undelete', since: since.at.toISOString() } }), { planId: 'u' });
  expect(plan.ops).toEqual([expect.objectContaining({ kind: 'unhide', key: 'a.html', restores: v1 })]);
  const ok = await executePlan(s3, bucket, plan.ops);
  expect(ok).toMatchObject({ unhidden: 1, failed: [] });
  expect((await visibleContent(s3, bucket)).get('a.html')).toBe('a');

  const before = await objectVersionIds(s3, bucket);
  const tampered = [{ kind: 'unhide' as const, key: 'b.html', deleteMarkerIds: [v2], restores: 'x', size: 1, etag: '"x"', before: null }];
  const refused = await executePlan(s3, bucket, tampered);
  expect(refused.failed).toEqual([{ key: 'b.html', kind: 'unhide', error: expect.stringMatching(/^UnsafeDelete: version .* is an object version/) }]);
  expect(await objectVersionIds(s3, bucket)).toEqual(before);
});

test('concurrency out of range is refused before any call', async () => {
  for (const concurrency of [0, 513, 2.5]) {
    await expect(executePlan(s3, 'irrelevant-bucket', [], { concurrency })).rejects.toMatchObject({ name: 'InvalidInput', field: 'concurrency' });
  }
});

test('small plans travel inline; large ones are stored as JSON Lines with a summary; without a store they are PlanTooLarge', async () => {
  const { plan } = await sitePlan('payload');
  expect(await planPayload(s3, plan, undefined)).toEqual({ kind: 'inline', plan });
  const store = { bucket: recordBucket, key: 'plans/payload.jsonl' };
  const stored = await planPayload(s3, plan, store, 100);
  expect(stored).toEqual({ kind: 'stored', location: `s3://${recordBucket}/plans/payload.jsonl`, id: plan.id, summary: plan.summary });
  expect(await loadPlan(s3, store)).toEqual(plan);
  await expect(planPayload(s3, plan, undefined, 100)).rejects.toMatchObject({ name: 'PlanTooLarge' });
});
