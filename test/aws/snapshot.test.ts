/** Snapshots into an Object Lock vault: incremental copies, exact restores of every snapshot, verification. */
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runRestore } from '../../lambda/aws/restore';
import { createSnapshot, loadSnapshotManifest, verifySnapshot } from '../../lambda/aws/snapshot';
import { restoreRequest, snapshotRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder } from '../support/history';
import { allVersions, createVault, createVersionedBucket, sorted, testClient, uniqueBucket, visibleContent } from '../support/s3';

let s3: S3Client;
let record: string;
beforeAll(async () => {
  s3 = testClient();
  record = `s3://${await createVersionedBucket(s3, 'records')}/snap`;
});
afterAll(() => s3.destroy());

const DAY = 24 * 3600 * 1000;

test('incremental snapshots copy only what changed, and every snapshot still restores exactly', async () => {
  const bucket = await createVersionedBucket(s3, 'incr');
  const vault = await createVault(s3);
  const h = new HistoryBuilder(s3, bucket);
  for (let i = 0; i < 6; i++) await h.put(`page-${i}.html`, `page ${i}`);
  const first = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault }));
  const firstContent = new Map(h.current());
  expect(first).toMatchObject({ count: 6, copied: 6, reused: 0 });

  const unchanged = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault }));
  expect(unchanged).toMatchObject({ count: 6, copied: 0, reused: 6, copiedBytes: 0, previous: first.id });

  await h.put('page-1.html', 'page 1 edited');
  await h.delete('page-2.html');
  await h.put('page-new.html', 'new page');
  const third = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault }));
  expect(third).toMatchObject({ count: 6, copied: 2, reused: 4, previous: unchanged.id });
  const thirdContent = new Map(h.current());
  const manifest = await loadSnapshotManifest(s3, vault, third.id);
  expect(manifest.entries.find((e) => e.key === 'page-0.html')!.vault.snapshotId).toBe(first.id);

  for (const [snap, content] of [[first, firstContent], [unchanged, firstContent], [third, thirdContent]] as const) {
    expect((await verifySnapshot(s3, vault, snap.id, { deep: true })).mismatches).toEqual([]);
    const result = await runRestore(s3, restoreRequest.parse({ bucket, source: { kind: 'snapshot', vault, snapshotId: snap.id }, record }));
    expect(result.ok).toBe(true);
    expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(new Map(content)));
  }
});

test('copies older than the reuse window are taken again, so a snapshot never leans on an expiring copy', async () => {
  const bucket = await createVersionedBucket(s3, 'rebase');
  const vault = await createVault(s3);
  const h = new HistoryBuilder(s3, bucket);
  await h.put('a.html', 'a');
  const now = new Date();
  const first = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault }), { now: new Date(now.getTime() - 40 * DAY) });
  const later = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault, reuseMaxAgeDays: 30 }), { now });
  expect(later).toMatchObject({ copied: 1, reused: 0, previous: null });
  expect(first.copied).toBe(1);
});

test('the manifest records source version, size, ETag, checksum and headers; prefixes scope a snapshot', async () => {
  const bucket = await createVersionedBucket(s3, 'manifest');
  const vault = await createVault(s3);
  const h = new HistoryBuilder(s3, bucket);
  const v = await h.put('docs/guide.html', '<h1>guide</h1>', { ContentType: 'text/html; charset=utf-8', CacheControl: 'max-age=300', Metadata: { team: 'web' } });
  await h.put('other.txt', 'not in the prefix');
  const snap = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault, prefix: 'docs/', storageClass: 'STANDARD_IA' }));
  const { header, entries } = await loadSnapshotManifest(s3, vault, snap.id);
  expect(header).toMatchObject({ bucket, prefix: 'docs/', vault, storageClass: 'STANDARD_IA', count: 1 });
  expect(entries).toEqual([
    expect.objectContaining({
      key: 'docs/guide.html',
      sourceVersionId: v,
      size: 14,
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      checksum: { algorithm: 'SHA256', value: expect.any(String) },
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'max-age=300',
      metadata: { team: 'web' },
    }),
  ]);
  const head = await s3.send(new HeadObjectCommand({ Bucket: vault, Key: entries[0].vault.key, VersionId: entries[0].vault.versionId }));
  expect(head.StorageClass).toBe('STANDARD_IA');
  expect(head.ContentType).toBe('text/html; charset=utf-8');
});

test('verification catches a vault copy that went missing', async () => {
  const bucket = await createVersionedBucket(s3, 'verify');
  const vault = await createVault(s3);
  const h = new HistoryBuilder(s3, bucket);
  await h.put('a.html', 'a');
  await h.put('b.html', 'b');
  const snap = await createSnapshot(s3, snapshotRequest.parse({ bucket, vault }));
  expect(await verifySnapshot(s3, vault, snap.id)).toEqual({ id: snap.id, checked: 2, mismatches: [] });
  const { entries } = await loadSnapshotManifest(s3, vault, snap.id);
  // Only an administrator bypassing governance retention could do this to a real vault.
  await s3.send(new DeleteObjectCommand({ Bucket: vault, Key: entries[1].vault.key, VersionId: entries[1].vault.versionId, BypassGovernanceRetention: true }));
  const broken = await verifySnapshot(s3, vault, snap.id);
  expect(broken.mismatches).toEqual([{ key: 'b.html', expected: expect.stringContaining(entries[1].vault.versionId), actual: 'missing' }]);
});

test('snapshot bad input: missing vault, missing bucket, prefix matching nothing, unknown snapshot id', async () => {
  const bucket = await createVersionedBucket(s3, 'snap-bad');
  const vault = await createVault(s3);
  await new HistoryBuilder(s3, bucket).put('a', 'a');
  await expect(createSnapshot(s3, snapshotRequest.parse({ bucket, vault: uniqueBucket('novault') }))).rejects.toMatchObject({ name: 'NotFound', field: 'vault' });
  await expect(createSnapshot(s3, snapshotRequest.parse({ bucket: uniqueBucket('nobucket'), vault }))).rejects.toMatchObject({ name: 'NotFound', field: 'bucket' });
  await expect(createSnapshot(s3, snapshotRequest.parse({ bucket, vault, prefix: 'nothing/' }))).rejects.toMatchObject({ name: 'InvalidInput', field: 'prefix' });
  await expect(verifySnapshot(s3, vault, '20261201T000000000Z-000000')).rejects.toMatchObject({ name: 'NotFound', field: 'snapshotId' });
  expect(await allVersions(s3, vault)).toEqual([]);
});
