import { SnapshotEntry, SnapshotManifest } from '../../lambda/core/manifests';
import { compareSnapshot, manifestKeyFor, newSnapshotId, planSnapshot, vaultKeyFor, vaultObjectId } from '../../lambda/core/snapshot';
import { snapshotId } from '../../lambda/shared/schemas';

const day = 24 * 3600 * 1000;
function entry(key: string, sourceVersionId: string, copiedAt: string): SnapshotEntry {
  return { key, sourceVersionId, size: 1, etag: '"e"', vault: { key: vaultKeyFor('s0', key), versionId: `vv-${key}`, etag: '"e"', snapshotId: 's0', copiedAt } };
}
function manifest(entries: SnapshotEntry[]): SnapshotManifest {
  return { header: { format: 'sitedr-snapshot/1', id: 's0', bucket: 'site', prefix: '', vault: 'vault', createdAt: entries[0].vault.copiedAt, storageClass: 'GLACIER_IR', previous: null, count: entries.length, bytes: entries.length, copied: entries.length, reused: 0 }, entries };
}

test('snapshot ids sort by time and pass the schema', () => {
  const a = newSnapshotId(new Date('2026-12-01T10:00:00.123Z'), 'a1b2c3');
  expect(a).toBe('20261201T100000123Z-a1b2c3');
  expect(snapshotId.safeParse(a).success).toBe(true);
  expect(newSnapshotId(new Date('2026-12-02T00:00:00Z'), '000000') > a).toBe(true);
  expect(manifestKeyFor(a)).toBe(`snapshots/${a}/manifest.jsonl`);
});

test('vault keys stay readable unless they would pass 1,024 bytes', () => {
  expect(vaultKeyFor('s1', 'a/b c.html')).toBe('snapshots/s1/files/a/b c.html');
  const long = 'é'.repeat(512); // 1,024 bytes
  const hashed = vaultKeyFor('s1', long);
  expect(hashed).toMatch(/^snapshots\/s1\/files-by-hash\/[0-9a-f]{64}$/);
  expect(vaultKeyFor('s1', long + 'x')).not.toBe(hashed);
});

test('an unchanged object reuses the earlier copy while it is young enough, otherwise it is copied again', () => {
  const now = new Date('2026-12-31T00:00:00Z');
  const previous = manifest([entry('same', 'v1', new Date(now.getTime() - 10 * day).toISOString()), entry('old', 'v1', new Date(now.getTime() - 31 * day).toISOString()), entry('changed', 'v1', now.toISOString())]);
  const current = [
    { key: 'same', versionId: 'v1', size: 1, etag: '"e"' },
    { key: 'old', versionId: 'v1', size: 1, etag: '"e"' },
    { key: 'changed', versionId: 'v2', size: 1, etag: '"e"' },
    { key: 'added', versionId: 'v1', size: 1, etag: '"e"' },
  ];
  const plan = planSnapshot(current, previous, { now, reuseMaxAgeDays: 30 });
  expect(plan.reuse.map((e) => e.key)).toEqual(['same']);
  expect(plan.copy.map((o) => o.key)).toEqual(['old', 'changed', 'added']);
  expect(planSnapshot(current, undefined, { now, reuseMaxAgeDays: 30 }).copy).toHaveLength(4);
  // In an unversioned bucket every version id is 'null': the bytes decide.
  const unversioned = manifest([{ ...entry('page', 'null', now.toISOString()) }]);
  expect(planSnapshot([{ key: 'page', versionId: 'null', size: 1, etag: '"e"' }], unversioned, { now, reuseMaxAgeDays: 30 }).reuse).toHaveLength(1);
  expect(planSnapshot([{ key: 'page', versionId: 'null', size: 1, etag: '"other"' }], unversioned, { now, reuseMaxAgeDays: 30 }).copy).toHaveLength(1);
});

test('snapshot verification reports missing copies, size or ETag drift, and checksum drift', () => {
  const copiedAt = '2026-12-01T00:00:00.000Z';
  const entries = [entry('ok', 'v', copiedAt), entry('missing', 'v', copiedAt), entry('drift', 'v', copiedAt), { ...entry('sum', 'v', copiedAt), checksum: { algorithm: 'SHA256', value: 'A=' } }];
  const vault = new Map([
    [vaultObjectId(entries[0].vault.key, entries[0].vault.versionId), { size: 1, etag: '"e"' }],
    [vaultObjectId(entries[2].vault.key, entries[2].vault.versionId), { size: 2, etag: '"e"' }],
    [vaultObjectId(entries[3].vault.key, entries[3].vault.versionId), { size: 1, etag: '"e"' }],
  ]);
  expect(compareSnapshot(entries, vault).map((m) => m.key)).toEqual(['missing', 'drift']);
  const sums = new Map([[vaultObjectId(entries[3].vault.key, entries[3].vault.versionId), { algorithm: 'SHA256', value: 'B=' }]]);
  expect(compareSnapshot(entries, vault, sums).map((m) => m.key)).toEqual(['missing', 'drift', 'sum']);
});
