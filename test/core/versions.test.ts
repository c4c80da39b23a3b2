import { VersionEntry, compareKeys, compareListingOrder, currentVersion, groupByKey, groupByKeySync, isMultipartEtag, sameContent, versionAt } from '../../lambda/core/versions';

const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
function v(key: string, versionId: string, second: number, opts: Partial<VersionEntry> = {}): VersionEntry {
  return { key, versionId, isLatest: false, isDeleteMarker: false, lastModified: t(second), size: 1, etag: `"${versionId}"`, ...opts };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('groupByKey yields one history per key, in order, from a flat stream', async () => {
  const entries = [v('a', '3', 3, { isLatest: true }), v('a', '1', 1), v('b', '2', 2, { isLatest: true, isDeleteMarker: true }), v('c', '4', 4)];
  const groups = await collect(groupByKey(entries));
  expect(groups.map((g) => [g.key, g.versions.map((x) => x.versionId)])).toEqual([
    ['a', ['3', '1']],
    ['b', ['2']],
    ['c', ['4']],
  ]);
  expect(await collect(groupByKey([]))).toEqual([]);
  async function* paged() {
    yield* entries; // an async source, like the listing adapter
  }
  expect(await collect(groupByKey(paged()))).toEqual(groups);
  expect([...groupByKeySync(entries)]).toEqual(groups);
});

test('versionAt takes the newest entry not after T, inclusive, and treats a delete marker as absent', () => {
  const history = { key: 'k', versions: [v('k', 'dm', 30, { isLatest: true, isDeleteMarker: true }), v('k', 'v2', 20), v('k', 'v1', 10)] };
  expect(versionAt(history, t(9))).toBeUndefined();
  expect(versionAt(history, t(10))?.versionId).toBe('v1');
  expect(versionAt(history, t(19))?.versionId).toBe('v1');
  expect(versionAt(history, t(20))?.versionId).toBe('v2');
  expect(versionAt(history, t(30))).toBeUndefined();
  expect(currentVersion(history)).toBeUndefined();
  expect(currentVersion({ key: 'k', versions: history.versions.slice(1) })?.versionId).toBe('v2');
});

test('keys order by UTF-8 bytes like S3, not by UTF-16 code units', () => {
  // U+FF5E is one UTF-16 unit but sorts after the surrogate pair of U+1F600 in UTF-8 byte order.
  expect('\uFF5E' < '\u{1F600}').toBe(false);
  expect(compareKeys('\uFF5E', '\u{1F600}')).toBeLessThan(0);
  expect(compareKeys('a', 'a')).toBe(0);
  expect(compareKeys('a/b', 'a b')).toBeGreaterThan(0);
});

test('listing order rebuilds newest-first per key from separate version and marker arrays', () => {
  const page = [v('b', 'old', 1), v('a', 'dm', 5, { isDeleteMarker: true, isLatest: true }), v('a', 'v', 2), v('b', 'new', 1, { isLatest: true })];
  expect(page.sort(compareListingOrder).map((x) => `${x.key}:${x.versionId}`)).toEqual(['a:dm', 'a:v', 'b:new', 'b:old']);
});

test('content identity is size plus ETag; multipart ETags are recognised', () => {
  expect(sameContent({ size: 1, etag: '"x"' }, { size: 1, etag: '"x"' })).toBe(true);
  expect(sameContent({ size: 1, etag: '"x"' }, { size: 2, etag: '"x"' })).toBe(false);
  expect(sameContent({ size: 0, etag: '' }, { size: 0, etag: '' })).toBe(false);
  expect(isMultipartEtag('"abc-3"')).toBe(true);
  expect(isMultipartEtag('"d41d8cd98f00b204e9800998ecf8427e"')).toBe(false);
});
