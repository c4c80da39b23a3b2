import { mapWithConcurrency } from '../../lambda/core/concurrency';
import { commonPrefix, joinKey, parseS3Url } from '../../lambda/core/s3url';
import { compareWithPlan } from '../../lambda/core/verify';
import { VersionEntry } from '../../lambda/core/versions';
import { concurrency, isoInstant, parseInput, restoreRequest } from '../../lambda/shared/schemas';

test('times need a zone: anything ambiguous is rejected', () => {
  for (const ok of ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.5Z', '2026-12-01T10:00:00+02:00']) expect(isoInstant.safeParse(ok).success).toBe(true);
  for (const bad of ['2026-12-01T10:00:00', '2026-12-01', '1 Dec 2026', '2026-13-01T10:00:00Z', '2026-12-01 10:00:00Z', '2026-12-01T10:00Z', '']) expect(isoInstant.safeParse(bad).success).toBe(false);
});

test('concurrency is an integer from 1 to 512, 64 by default', () => {
  expect(concurrency.parse(undefined)).toBe(64);
  for (const ok of [1, 512]) expect(concurrency.parse(ok)).toBe(ok);
  for (const bad of [0, 513, 1.5, -1, Number.NaN]) expect(concurrency.safeParse(bad).success).toBe(false);
});

test('parseInput names the field and what was expected', () => {
  const flags: Record<string, string> = { 'source.at': '--to', concurrency: '--concurrency' };
  const name = (path: readonly PropertyKey[]) => flags[path.join('.')] ?? path.join('.');
  expect(() => parseInput(restoreRequest, { bucket: 'site', source: { kind: 'pointInTime', at: '2026-12-01T10:00:00' } }, name)).toThrow(
    expect.objectContaining({ name: 'InvalidInput', field: '--to', expected: expect.stringMatching(/with a zone/), message: expect.stringMatching(/^--to: expected .* got "2026-12-01T10:00:00"$/) }),
  );
  expect(() => parseInput(restoreRequest, { bucket: 'site', source: { kind: 'undelete', since: '2026-12-01T10:00:00Z' }, concurrency: 0 }, name)).toThrow(expect.objectContaining({ field: '--concurrency' }));
  expect(() => parseInput(restoreRequest, { bucket: 'Not_A_Bucket', source: { kind: 'replica', bucket: 'replica' } })).toThrow(expect.objectContaining({ field: 'bucket' }));
});

test('s3 URLs, key joins and common prefixes', () => {
  expect(parseS3Url('s3://b/runs/x y.json', 'f')).toEqual({ bucket: 'b', key: 'runs/x y.json' });
  expect(parseS3Url('s3://b', 'f')).toEqual({ bucket: 'b', key: '' });
  expect(() => parseS3Url('https://b/k', 'manifest')).toThrow(expect.objectContaining({ field: 'manifest' }));
  expect(joinKey('', 'runs/')).toBe('runs/');
  expect(joinKey('a', 'runs/')).toBe('a/runs/');
  expect(joinKey('a/', 'runs/')).toBe('a/runs/');
  expect(commonPrefix(['docs/a.html', 'docs/b.html', 'docs/about/x'])).toBe('docs/');
  expect(commonPrefix(['x'])).toBe('x');
  expect(commonPrefix(['\u{1F600}a', '\u{1F601}b'])).toBe('');
  expect(commonPrefix([])).toBe('');
});

test('mapWithConcurrency keeps order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, n));
    inFlight--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30, 0]);
  expect(peak).toBe(2);
  await expect(mapWithConcurrency([1], 0, async () => 1)).rejects.toThrow(RangeError);
});

test('verification compares by version id for un-hides and by size + ETag for copies', () => {
  const cur = (versionId: string, etag: string, size = 1): VersionEntry => ({ key: 'k', versionId, isLatest: true, isDeleteMarker: false, lastModified: new Date(0), size, etag });
  const ops = [
    { kind: 'copy' as const, key: 'copied', from: { bucket: 'b', key: 'copied', versionId: 'v1' }, size: 1, etag: '"a"', before: null },
    { kind: 'hide' as const, key: 'hidden', before: { versionId: 'v2', size: 1, etag: '"b"' } },
    { kind: 'unhide' as const, key: 'back', deleteMarkerIds: ['dm'], restores: 'v3', size: 1, etag: '"c"', before: null },
  ];
  expect(compareWithPlan(ops, new Map([['copied', cur('new', '"a"')], ['hidden', undefined], ['back', cur('v3', '"c"')]]))).toEqual([]);
  const wrong = compareWithPlan(ops, new Map([['copied', cur('new', '"x"')], ['hidden', cur('v2', '"b"')], ['back', cur('v4', '"c"')]]));
  expect(wrong.map((m) => m.key)).toEqual(['copied', 'hidden', 'back']);
  expect(wrong[1]).toEqual({ key: 'hidden', expected: 'absent', actual: expect.stringMatching(/^version v2/) });
  expect(compareWithPlan(ops.slice(0, 1), new Map([['copied', cur('new', '"x-2"')]]), new Set(['copied']))).toEqual([]);
});
