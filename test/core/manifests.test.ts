import { decodeJsonLines, encodeJsonLines } from '../../lambda/core/jsonl';
import { decodePlan, decodeReleaseManifest, decodeSnapshotManifest, decodeUndoManifest, encodePlan, encodeSnapshotManifest, encodeUndoManifest, SnapshotManifest, undoManifestFor } from '../../lambda/core/manifests';
import { Plan } from '../../lambda/core/plan';
import { z } from 'zod';

const plan: Plan = {
  format: 'sitedr-plan/1',
  id: 'run-1',
  createdAt: '2026-12-01T10:00:00.000Z',
  target: { bucket: 'site', prefix: '' },
  source: { kind: 'pointInTime', at: '2026-12-01T09:00:00Z', allowEmpty: false },
  summary: { copy: 1, hide: 1, unhide: 1, unchanged: 4, copyBytes: 10, unchangedBytes: 40 },
  ops: [
    { kind: 'copy', key: 'a b+c%.html', from: { bucket: 'site', key: 'a b+c%.html', versionId: 'v1' }, size: 10, etag: '"e"', before: null },
    { kind: 'hide', key: 'é/new', before: { versionId: 'v9', size: 1, etag: '"f"' } },
    { kind: 'unhide', key: 'gone', deleteMarkerIds: ['dm1'], restores: 'v3', size: 0, etag: '"d41d8cd98f00b204e9800998ecf8427e"', before: null },
  ],
};

test('plans round-trip through JSON Lines, one operation per line', () => {
  const text = encodePlan(plan);
  expect(text.trimEnd().split('\n')).toHaveLength(4);
  expect(decodePlan(text)).toEqual(plan);
});

test('a truncated or altered plan is rejected with the line at fault', () => {
  const lines = encodePlan(plan).trimEnd().split('\n');
  expect(() => decodePlan(lines.slice(0, 3).join('\n'))).toThrow(expect.objectContaining({ name: 'InvalidInput', message: expect.stringMatching(/holds 2 operations but its summary says 3/) }));
  const bad = [...lines];
  bad[2] = JSON.stringify({ kind: 'delete-version', key: 'x' });
  expect(() => decodePlan(bad.join('\n'))).toThrow(expect.objectContaining({ name: 'InvalidInput', field: 'plan', message: expect.stringMatching(/^line 3/) }));
  bad[2] = '{not json';
  expect(() => decodePlan(bad.join('\n'))).toThrow(/line 3 is not JSON/);
  expect(() => decodePlan('')).toThrow(/empty/);
});

test('the undo manifest lists every planned key with the version it showed before', () => {
  const undo = undoManifestFor(plan, 'run-1', new Date('2026-12-01T10:00:00Z'));
  expect(undo.entries).toEqual([
    { key: 'a b+c%.html', before: null },
    { key: 'é/new', before: { versionId: 'v9', size: 1, etag: '"f"' } },
    { key: 'gone', before: null },
  ]);
  expect(decodeUndoManifest(encodeUndoManifest(undo))).toEqual(undo);
  expect(() => decodeUndoManifest(encodeUndoManifest({ ...undo, entries: undo.entries.slice(1) }))).toThrow(/header says 3/);
});

test('snapshot manifests round-trip and refuse a missing entry', () => {
  const m: SnapshotManifest = {
    header: { format: 'sitedr-snapshot/1', id: 's1', bucket: 'site', prefix: '', vault: 'vault', createdAt: '2026-12-01T10:00:00.000Z', storageClass: 'GLACIER_IR', previous: null, count: 1, bytes: 3, copied: 1, reused: 0 },
    entries: [
      {
        key: 'index.html',
        sourceVersionId: 'v1',
        size: 3,
        etag: '"e"',
        checksum: { algorithm: 'SHA256', value: 'abc=' },
        contentType: 'text/html',
        cacheControl: 'max-age=60',
        metadata: { owner: 'web' },
        vault: { key: 'snapshots/s1/files/index.html', versionId: 'vv', etag: '"e"', snapshotId: 's1', copiedAt: '2026-12-01T10:00:00.000Z' },
      },
    ],
  };
  expect(decodeSnapshotManifest(encodeSnapshotManifest(m))).toEqual(m);
  expect(() => decodeSnapshotManifest(encodeSnapshotManifest({ ...m, entries: [] }))).toThrow(expect.objectContaining({ name: 'InvalidInput', field: 'snapshotId' }));
});

test('release manifests: key -> version id, anything else is a clear InvalidInput', () => {
  expect(decodeReleaseManifest(JSON.stringify({ format: 'sitedr-release/1', release: 'v42', files: { 'index.html': 'abc' } })).files).toEqual({ 'index.html': 'abc' });
  for (const text of ['nope', '{}', JSON.stringify({ format: 'sitedr-release/1', files: {} }), JSON.stringify({ format: 'sitedr-release/1', files: { a: '' } })]) {
    expect(() => decodeReleaseManifest(text)).toThrow(expect.objectContaining({ name: 'InvalidInput', field: 'source.manifest' }));
  }
});

test('JSON Lines tolerates a missing final newline and blank lines', () => {
  const text = encodeJsonLines({ n: 2 }, [{ x: 1 }, { x: 2 }]).trimEnd() + '\n\n';
  const decoded = decodeJsonLines(text, { header: z.object({ n: z.number() }), record: z.object({ x: z.number() }) }, 'f');
  expect(decoded).toEqual({ header: { n: 2 }, records: [{ x: 1 }, { x: 2 }] });
});
