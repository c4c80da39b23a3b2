import { Desired, makePlan, planDesiredState, planPointInTime, planUndelete } from '../../lambda/core/plan';
import { renderPlan, renderSummary } from '../../lambda/core/render';
import { ModelBucket } from '../support/model-bucket';

function site(): { bucket: ModelBucket; t: Date; ids: Record<string, string> } {
  const bucket = new ModelBucket('site');
  const ids: Record<string, string> = {};
  ids.index1 = bucket.put('index.html', 'v1');
  ids.about = bucket.put('about.html', 'about');
  ids.css = bucket.put('style.css', 'css');
  const t = bucket.now();
  ids.index2 = bucket.put('index.html', 'v2');
  bucket.delete('about.html');
  ids.extra = bucket.put('new.html', 'new');
  return { bucket, t, ids };
}

test('point in time: copies changed and deleted keys back, hides new keys, leaves the rest', async () => {
  const { bucket, t, ids } = site();
  const body = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at: t, now: bucket.now() });
  expect(body.ops).toEqual([
    { kind: 'copy', key: 'about.html', from: { bucket: 'site', key: 'about.html', versionId: ids.about }, size: 5, etag: expect.any(String), before: null },
    { kind: 'copy', key: 'index.html', from: { bucket: 'site', key: 'index.html', versionId: ids.index1 }, size: 2, etag: expect.any(String), before: { versionId: ids.index2, size: 2, etag: expect.any(String) } },
    { kind: 'hide', key: 'new.html', before: { versionId: ids.extra, size: 3, etag: expect.any(String) } },
  ]);
  expect(body.summary).toEqual({ copy: 2, hide: 1, unhide: 0, unchanged: 1, copyBytes: 7, unchangedBytes: 3 });
});

test('point in time: a key already holding the old bytes in a newer version is unchanged', async () => {
  const bucket = new ModelBucket('site');
  bucket.put('a', 'same');
  const t = bucket.now();
  bucket.put('a', 'different');
  bucket.put('a', 'same');
  const body = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at: t, now: bucket.now() });
  expect(body.ops).toEqual([]);
  expect(body.summary.unchanged).toBe(1);
});

test('point in time: refuses the future, times before the first version (unless allowed), and an empty scope', async () => {
  const { bucket } = site();
  const now = bucket.now();
  const opts = { bucket: 'site', prefix: '', now };
  await expect(planPointInTime(bucket.histories(), { ...opts, at: new Date(now.getTime() + 1) })).rejects.toMatchObject({ name: 'InvalidInput', field: 'source.at' });
  const early = new Date('2020-01-01T00:00:00Z');
  await expect(planPointInTime(bucket.histories(), { ...opts, at: early })).rejects.toMatchObject({ name: 'InvalidInput', field: 'source.at', expected: expect.stringMatching(/allowEmpty/) });
  const all = await planPointInTime(bucket.histories(), { ...opts, at: early, allowEmpty: true });
  expect(all.summary).toMatchObject({ hide: 3, copy: 0 });
  await expect(planPointInTime([], { ...opts, prefix: 'nope/', at: now })).rejects.toMatchObject({ name: 'InvalidInput', field: 'prefix' });
  await expect(planPointInTime([], { ...opts, at: now })).rejects.toMatchObject({ name: 'InvalidInput', field: 'bucket' });
});

test('desired state: copies listed content, hides unlisted keys only when asked, adds keys the target never had', async () => {
  const { bucket } = site();
  const vault = (key: string) => ({ bucket: 'vault', key: `snapshots/s/files/${key}`, versionId: 'vv' });
  const desired = () =>
    new Map<string, Desired>([
      ['index.html', { kind: 'object', from: vault('index.html'), size: 2, etag: bucket.histories().find((h) => h.key === 'index.html')!.versions[0].etag }],
      ['brand-new.html', { kind: 'object', from: vault('brand-new.html'), size: 9, etag: '"n"' }],
    ]);
  const full = await planDesiredState(bucket.histories(), desired(), { bucket: 'site', prefix: '', hideUnlisted: true, field: 'source.snapshotId' });
  expect(full.ops.map((op) => `${op.kind} ${op.key}`)).toEqual(['hide new.html', 'hide style.css', 'copy brand-new.html']);
  expect(full.summary.unchanged).toBe(2); // index.html already matches; about.html already absent
  const partial = await planDesiredState(bucket.histories(), desired(), { bucket: 'site', prefix: '', hideUnlisted: false, field: 'x' });
  expect(partial.ops.map((op) => `${op.kind} ${op.key}`)).toEqual(['copy brand-new.html']);
});

test('desired state: a version that does not exist is NotFound, a delete marker is InvalidInput', async () => {
  const bucket = new ModelBucket('site');
  bucket.put('a', 'x');
  const marker = bucket.delete('a');
  const run = (versionId: string, key = 'a') => planDesiredState(bucket.histories(), new Map([[key, { kind: 'version', versionId } as Desired]]), { bucket: 'site', prefix: '', hideUnlisted: false, field: 'source.manifest' });
  await expect(run('nope')).rejects.toMatchObject({ name: 'NotFound', field: 'source.manifest' });
  await expect(run('v1', 'never-written')).rejects.toMatchObject({ name: 'NotFound' });
  await expect(run(marker)).rejects.toMatchObject({ name: 'InvalidInput', field: 'source.manifest' });
  expect((await run('v1')).ops).toEqual([expect.objectContaining({ kind: 'copy', key: 'a', before: null })]);
});

test('undelete removes every marker laid since T but leaves keys deleted before T alone', async () => {
  const bucket = new ModelBucket('site');
  const kept = bucket.put('old-deleted', 'x');
  bucket.delete('old-deleted');
  const v = bucket.put('recent', 'y');
  const since = bucket.now();
  const m1 = bucket.delete('recent');
  const m2 = bucket.delete('recent');
  bucket.delete('old-deleted');
  const body = await planUndelete(bucket.histories(), { bucket: 'site', prefix: '', since, now: bucket.now() });
  expect(body.ops).toEqual([{ kind: 'unhide', key: 'recent', deleteMarkerIds: [m2, m1], restores: v, size: 1, etag: expect.any(String), before: null }]);
  expect(kept).toBeDefined();
  await expect(planUndelete(bucket.histories(), { bucket: 'site', prefix: '', since: new Date(bucket.now().getTime() + 5000), now: bucket.now() })).rejects.toMatchObject({ field: 'source.since' });
});

test('the rendered plan is short and says what happens to each key', async () => {
  const { bucket, t } = site();
  const body = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at: t, now: bucket.now() });
  const plan = makePlan(body, { id: 'p1', createdAt: bucket.now(), bucket: 'site', prefix: '', source: { kind: 'pointInTime', at: t.toISOString(), allowEmpty: false } });
  const text = renderPlan(plan, 2);
  expect(text.split('\n')).toEqual([
    'plan p1 for s3://site: 2 to copy (7 B), 1 to hide, 0 to unhide, 1 unchanged (3 B)',
    expect.stringMatching(/^ {2}~ "about.html" <- version v2, 5 B \(currently absent\)$/),
    expect.stringMatching(/^ {2}~ "index.html" <- version v1, 2 B$/),
    '  … and 1 more',
  ]);
  expect(renderSummary({ copy: 0, hide: 0, unhide: 0, unchanged: 0, copyBytes: 0, unchangedBytes: 3 * 1024 * 1024 })).toContain('3.0 MiB');
  expect(renderPlan({ ...plan, ops: [], summary: { ...plan.summary, copy: 0, hide: 0 } })).toContain('nothing to do');
});

test('with onOp the operations stream out instead of being kept, and the summary is the same', async () => {
  const { bucket, t } = site();
  const kept = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at: t, now: bucket.now() });
  const streamed: unknown[] = [];
  const body = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at: t, now: bucket.now(), onOp: (op) => streamed.push(op) });
  expect(body.ops).toEqual([]);
  expect(streamed).toEqual(kept.ops);
  expect(body.summary).toEqual(kept.summary);
});
