/** Every restore source end to end against the emulator, plus undo and snapshot round trips. */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { putText } from '../../lambda/aws/records';
import { runRestore, runUndo } from '../../lambda/aws/restore';
import { createSnapshot } from '../../lambda/aws/snapshot';
import { RestoreSource, restoreRequest, snapshotRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder } from '../support/history';
import { allVersions, createVault, createVersionedBucket, objectVersionIds, sorted, testClient, visibleContent } from '../support/s3';

let s3: S3Client;
let record: string;

beforeAll(async () => {
  s3 = testClient();
  record = `s3://${await createVersionedBucket(s3, 'records')}/runs-root`;
});
afterAll(() => s3.destroy());

function restore(bucket: string, source: RestoreSource | Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return runRestore(s3, restoreRequest.parse({ bucket, source, record, concurrency: 8, ...extra }));
}

/** A small site with a broken deploy on top. Returns the builder and the good state. */
async function brokenSite(label: string) {
  const bucket = await createVersionedBucket(s3, label);
  const h = new HistoryBuilder(s3, bucket);
  const ids = {
    index: await h.put('index.html', 'good index'),
    css: await h.put('css/site.css', 'body{}'),
    about: await h.put('about.html', 'about'),
  };
  const good = new Map(h.current());
  await h.put('index.html', 'BROKEN');
  await h.delete('about.html');
  await h.put('oops.html', 'stray');
  return { bucket, h, ids, good };
}

async function expectSecondRunPlansNothing(bucket: string, source: RestoreSource | Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const req = restoreRequest.parse({ bucket, source, record, ...extra });
  expect((await buildRestorePlan(s3, req, { planId: 'again' })).ops).toEqual([]);
}

test('snapshot -> restore round trip brings the snapshotted site back exactly', async () => {
  const bucket = await createVersionedBucket(s3, 'snap-src');
  const h = new HistoryBuilder(s3, bucket);
  await h.put('index.html', 'good index');
  await h.put('css/site.css', 'body{}');
  await h.put('empty.txt', '');
  const vault = await createVault(s3);
  const snap = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault, concurrency: 4 }));
  expect(snap).toMatchObject({ count: 3, copied: 3, reused: 0, previous: null });
  const snapshotted = new Map(h.current());

  await h.put('index.html', 'BROKEN');
  await h.delete('css/site.css');
  await h.put('later.html', 'added after the snapshot');
  const result = await restore(bucket, { kind: 'snapshot', vault, snapshotId: snap.id });
  expect(result.ok).toBe(true);
  expect(result.counts).toMatchObject({ copied: 2, hidden: 1, unchanged: 1 });
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(snapshotted));
  await expectSecondRunPlansNothing(bucket, { kind: 'snapshot', vault, snapshotId: snap.id });
});

test('restore from the replica bucket makes the primary match it', async () => {
  const { bucket, good } = await brokenSite('repl-primary');
  const replica = await createVersionedBucket(s3, 'replica');
  // moto never replicates: the test plays the replication role.
  for (const [key, body] of good) await s3.send(new PutObjectCommand({ Bucket: replica, Key: key, Body: body }));
  const result = await restore(bucket, { kind: 'replica', bucket: replica });
  expect(result.ok).toBe(true);
  expect(result.counts).toMatchObject({ copied: 2, hidden: 1, unchanged: 1 });
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(good));
  await expectSecondRunPlansNothing(bucket, { kind: 'replica', bucket: replica });
});

test('restore from a release manifest (key -> version id) brings that release back', async () => {
  const { bucket, ids, good } = await brokenSite('release');
  const manifest = `s3://${record.slice(5).split('/')[0]}/releases/r1.json`;
  await putText(s3, { bucket: record.slice(5).split('/')[0], key: 'releases/r1.json' }, JSON.stringify({ format: 'sitedr-release/1', release: 'r1', files: { 'index.html': ids.index, 'css/site.css': ids.css, 'about.html': ids.about } }), 'application/json');
  const result = await restore(bucket, { kind: 'release', manifest });
  expect(result.ok).toBe(true);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(good));
  await expectSecondRunPlansNothing(bucket, { kind: 'release', manifest });
});

test('restore of one key to one version touches only that key', async () => {
  const { bucket, ids } = await brokenSite('one-key');
  const before = await visibleContent(s3, bucket);
  const result = await restore(bucket, { kind: 'keyVersion', key: 'index.html', versionId: ids.index });
  expect(result.counts).toMatchObject({ copied: 1, hidden: 0, unhidden: 0 });
  const after = await visibleContent(s3, bucket);
  expect(after.get('index.html')).toBe('good index');
  after.delete('index.html');
  before.delete('index.html');
  expect(sorted(after)).toEqual(sorted(before));
  await expectSecondRunPlansNothing(bucket, { kind: 'keyVersion', key: 'index.html', versionId: ids.index });
  await expect(restore(bucket, { kind: 'keyVersion', key: 'index.html', versionId: 'no-such-version' })).rejects.toMatchObject({ name: 'NotFound', field: 'source.versionId' });
  await expect(restore(bucket, { kind: 'keyVersion', key: 'never.html', versionId: ids.index })).rejects.toMatchObject({ name: 'NotFound', field: 'source.key' });
});

test('undelete removes only the delete markers laid since T', async () => {
  const bucket = await createVersionedBucket(s3, 'undelete');
  const h = new HistoryBuilder(s3, bucket);
  await h.put('old.html', 'deleted long ago');
  await h.delete('old.html');
  await h.put('a.html', 'a');
  await h.put('b.html', 'b');
  const since = await h.checkpoint();
  await h.delete('a.html');
  await h.delete('b.html');
  await h.put('b.html', 'b2');
  const versionsBefore = await objectVersionIds(s3, bucket);
  const result = await restore(bucket, { kind: 'undelete', since: since.at.toISOString() });
  expect(result.counts).toMatchObject({ unhidden: 1, copied: 0, hidden: 0 });
  expect(sorted(await visibleContent(s3, bucket))).toEqual([
    ['a.html', 'a'],
    ['b.html', 'b2'],
  ]);
  expect(await objectVersionIds(s3, bucket)).toEqual(versionsBefore);
  await expectSecondRunPlansNothing(bucket, { kind: 'undelete', since: since.at.toISOString() });
});

test('the undo manifest restores the pre-restore state exactly, and the undo is itself undoable', async () => {
  const { bucket, good } = await brokenSite('undo');
  const beforeRestore = await visibleContent(s3, bucket);
  const restoreResult = await restore(bucket, { kind: 'replica', bucket: await replicaOf(good) });
  expect(restoreResult.ok).toBe(true);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(good));

  const undone = await runUndo(s3, { manifest: restoreResult.undoManifest!, concurrency: 4, dryRun: false });
  expect(undone.ok).toBe(true);
  // index.html gets its broken content back, about.html is hidden again, oops.html comes back.
  expect(undone.counts).toMatchObject({ copied: 2, hidden: 1, unchanged: 0 });
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(beforeRestore));
  expect(undone.undoManifest).toMatch(/^s3:\/\/.+\/runs-root\/runs\/.+\/undo\.jsonl$/);

  const redone = await runUndo(s3, { manifest: undone.undoManifest!, concurrency: 4, dryRun: false });
  expect(redone.ok).toBe(true);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(good));
});

async function replicaOf(content: ReadonlyMap<string, string>): Promise<string> {
  const replica = await createVersionedBucket(s3, 'replica');
  for (const [key, body] of content) await s3.send(new PutObjectCommand({ Bucket: replica, Key: key, Body: body }));
  return replica;
}

test('sources refuse bad input before touching anything', async () => {
  const { bucket } = await brokenSite('bad-sources');
  const before = await allVersions(s3, bucket);
  const vault = await createVault(s3);
  const empty = await createVersionedBucket(s3, 'empty-replica');
  const recordBucket = record.slice(5).split('/')[0];
  await putText(s3, { bucket: recordBucket, key: 'bad/release.json' }, '{"format":"sitedr-release/1","files":[]}', 'application/json');
  const cases: [Record<string, unknown>, object][] = [
    [{ kind: 'snapshot', vault, snapshotId: '20261201T100000000Z-abcdef' }, { name: 'NotFound', field: 'source.snapshotId' }],
    [{ kind: 'replica', bucket: empty }, { name: 'InvalidInput', field: 'source.bucket' }],
    [{ kind: 'replica', bucket: 'no-such-replica-bucket' }, { name: 'NotFound', field: 'source.bucket' }],
    [{ kind: 'release', manifest: `s3://${recordBucket}/missing.json` }, { name: 'NotFound', field: 'source.manifest' }],
    [{ kind: 'release', manifest: `s3://${recordBucket}/bad/release.json` }, { name: 'InvalidInput', field: 'source.manifest' }],
    [{ kind: 'undo', manifest: `s3://${recordBucket}/bad/release.json` }, { name: 'InvalidInput', field: 'source.manifest' }],
  ];
  for (const [source, error] of cases) await expect(restore(bucket, source)).rejects.toMatchObject(error);
  await expect(restore(bucket, { kind: 'pointInTime', at: new Date().toISOString() }, { record: undefined })).rejects.toMatchObject({ name: 'InvalidInput', field: 'record' });
  expect(await allVersions(s3, bucket)).toEqual(before);
});

test('an unversioned bucket is refused with how to enable versioning', async () => {
  const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const bucket = `plain-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'a' }));
  await expect(restore(bucket, { kind: 'pointInTime', at: new Date().toISOString() })).rejects.toMatchObject({
    name: 'InvalidInput',
    field: 'bucket',
    message: expect.stringContaining('put-bucket-versioning --bucket ' + bucket + ' --versioning-configuration Status=Enabled'),
  });
});
