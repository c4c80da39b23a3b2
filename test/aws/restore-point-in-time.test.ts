import { S3Client } from '@aws-sdk/client-s3';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { runRestore } from '../../lambda/aws/restore';
import { restoreRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder } from '../support/history';
import { createVersionedBucket, objectVersionIds, sorted, testClient, uniqueBucket, visibleContent } from '../support/s3';

let s3: S3Client;
let record: string;

beforeAll(async () => {
  s3 = testClient();
  record = `s3://${await createVersionedBucket(s3, 'records')}/sitedr`;
});
afterAll(() => s3.destroy());

function request(bucket: string, at: Date, extra: Record<string, unknown> = {}) {
  return restoreRequest.parse({ bucket, source: { kind: 'pointInTime', at: at.toISOString() }, record, ...extra });
}

test('a point-in-time restore brings back changed and deleted keys, hides new ones, and keeps every version', async () => {
  const bucket = await createVersionedBucket(s3, 'pitr');
  const h = new HistoryBuilder(s3, bucket);
  await h.put('index.html', 'v1');
  await h.put('about.html', 'about v1');
  await h.put('unchanged.css', 'body{}');
  const t = await h.checkpoint();
  await h.put('index.html', 'v2 broken');
  await h.delete('about.html');
  await h.put('new.js', 'added after T');
  await h.checkpoint();
  const before = await objectVersionIds(s3, bucket);

  const dry = await runRestore(s3, request(bucket, t.at, { dryRun: true }));
  expect(dry.plan).toMatchObject({ copy: 2, hide: 1, unhide: 0, unchanged: 1 });
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(new Map(h.current())));

  const result = await runRestore(s3, request(bucket, t.at));
  expect(result.ok).toBe(true);
  expect(result.counts).toMatchObject({ copied: 2, hidden: 1, unhidden: 0, unchanged: 1, failed: 0 });
  expect(result.verification).toEqual({ checked: 3, mismatches: [] });
  expect(result.undoManifest).toMatch(/^s3:\/\/.+\/sitedr\/runs\/.+\/undo\.jsonl$/);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(new Map(t.content)));
  const after = await objectVersionIds(s3, bucket);
  for (const id of before) expect(after.has(id)).toBe(true);

  const again = await buildRestorePlan(s3, request(bucket, t.at), { planId: 'again' });
  expect(again.ops).toEqual([]);
});

test('bad input is refused before anything is touched', async () => {
  const bucket = await createVersionedBucket(s3, 'pitr-bad');
  const h = new HistoryBuilder(s3, bucket);
  await h.put('a.html', 'a');
  await h.checkpoint();
  const future = new Date(Date.now() + 3600_000);
  await expect(runRestore(s3, request(bucket, future))).rejects.toMatchObject({ name: 'InvalidInput', field: 'source.at' });
  await expect(runRestore(s3, request(bucket, new Date('2020-01-01T00:00:00Z')))).rejects.toMatchObject({ name: 'InvalidInput', field: 'source.at', message: expect.stringMatching(/hide every key/) });
  await expect(runRestore(s3, request(bucket, new Date(), { prefix: 'nothing/' }))).rejects.toMatchObject({ name: 'InvalidInput', field: 'prefix' });
  await expect(runRestore(s3, request(uniqueBucket('missing'), new Date()))).rejects.toMatchObject({ name: 'NotFound', field: 'bucket' });
  const allowed = await runRestore(s3, request(bucket, new Date('2020-01-01T00:00:00Z'), { dryRun: true, source: { kind: 'pointInTime', at: '2020-01-01T00:00:00Z', allowEmpty: true } }));
  expect(allowed.plan.hide).toBe(1);
  expect(sorted(await visibleContent(s3, bucket))).toEqual([['a.html', 'a']]);
});
