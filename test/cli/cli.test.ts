/** The operator CLI: every command end to end, the JSON shape, help, and bad input (exit 2, nothing touched). */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { putText } from '../../lambda/aws/records';
import { HistoryBuilder } from '../support/history';
import { sitedr, spawnSitedr, waitForExit } from '../support/cli';
import { allVersions, createVault, createVersionedBucket, sorted, testClient, uniqueBucket, visibleContent } from '../support/s3';

let s3: S3Client;
let recordBucket: string;
let record: string;
beforeAll(async () => {
  s3 = testClient();
  recordBucket = await createVersionedBucket(s3, 'records');
  record = `s3://${recordBucket}/cli`;
});
afterAll(() => s3.destroy());

test('snapshot, verify-snapshot, plan, restore (dry run, then for real) and undo, with --json', async () => {
  const bucket = await createVersionedBucket(s3, 'cli-site');
  const vault = await createVault(s3);
  const h = new HistoryBuilder(s3, bucket);
  await h.put('index.html', 'good');
  await h.put('about.html', 'about');
  const good = new Map(h.current());

  const snap = await sitedr('snapshot', '--bucket', bucket, '--vault', vault, '--json');
  expect(snap.code).toBe(0);
  const snapJson = snap.json<{ id: string }>();
  expect(snapJson).toEqual({ command: 'snapshot', ok: true, id: expect.any(String), manifest: expect.stringMatching(/^s3:\/\//), previous: null, count: 2, bytes: 9, copied: 2, reused: 0, copiedBytes: 9, durationMs: expect.any(Number) });
  const verified = await sitedr('verify-snapshot', '--vault', vault, '--snapshot', snapJson.id, '--json');
  expect([verified.code, verified.json()]).toEqual([0, { command: 'verify-snapshot', ok: true, id: snapJson.id, checked: 2, mismatches: [] }]);

  await h.put('index.html', 'BROKEN');
  await h.put('stray.html', 'stray');
  const broken = await visibleContent(s3, bucket);

  const plan = await sitedr('plan', '--bucket', bucket, '--snapshot', snapJson.id, '--vault', vault);
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(/1 to copy \(4 B\), 1 to hide, 0 to unhide, 1 unchanged/);
  expect(plan.stdout).toContain('- "stray.html"');

  const dry = await sitedr('restore', '--bucket', bucket, '--snapshot', snapJson.id, '--vault', vault, '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('dry run: nothing was changed');
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(broken));

  const restored = await sitedr('restore', '--bucket', bucket, '--snapshot', snapJson.id, '--vault', vault, '--record', record, '--concurrency', '4', '--json');
  expect(restored.code).toBe(0);
  const r = restored.json<{ undoManifest: string }>();
  expect(r).toEqual({
    command: 'restore',
    ok: true,
    runId: expect.any(String),
    dryRun: false,
    target: { bucket, prefix: '' },
    source: { kind: 'snapshot', vault, snapshotId: snapJson.id },
    plan: { copy: 1, hide: 1, unhide: 0, unchanged: 1, copyBytes: 4, unchangedBytes: 5 },
    counts: { copied: 1, hidden: 1, unhidden: 0, unchanged: 1, skipped: 0, failed: 0 },
    bytes: { copied: 4, unchanged: 5 },
    undoManifest: expect.stringMatching(new RegExp(`^s3://${recordBucket}/cli/runs/.+/undo\\.jsonl$`)),
    planLocation: expect.stringMatching(/plan\.jsonl$/),
    resultLocation: expect.stringMatching(/result\.json$/),
    verification: { checked: 2, mismatches: [] },
    failures: [],
    durationMs: expect.any(Number),
  });
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(good));

  const again = await sitedr('plan', '--bucket', bucket, '--snapshot', snapJson.id, '--vault', vault, '--json');
  expect(again.json<{ plan: { ops: unknown[] } }>().plan.ops).toEqual([]);

  const undo = await sitedr('undo', '--manifest', r.undoManifest);
  expect(undo.code).toBe(0);
  expect(undo.stdout).toMatch(/^done: 2 copied .* 0 hidden/m);
  expect(undo.stdout).toMatch(/^undo with: sitedr undo --manifest s3:\/\//m);
  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(broken));
});

test('--help describes every command and option', async () => {
  const top = await sitedr('--help');
  expect(top.code).toBe(0);
  for (const command of ['snapshot', 'plan', 'restore', 'verify-snapshot', 'undo']) {
    expect(top.stdout).toContain(command);
    const help = await sitedr(command, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--json');
    expect(help.stdout).toContain('Exit codes: 0 success, 1 failure');
  }
  const restoreHelp = (await sitedr('restore', '--help')).stdout;
  for (const flag of ['--bucket', '--prefix', '--to', '--allow-empty', '--snapshot', '--vault', '--from-bucket', '--manifest', '--key', '--version-id', '--undelete', '--since', '--dry-run', '--concurrency', '--record', '--copy-tags']) {
    expect(restoreHelp).toContain(flag);
  }
});

describe('bad input: exit 2, the flag at fault, nothing touched', () => {
  let bucket: string;
  let plain: string;
  let vault: string;
  let versionsBefore: unknown;

  beforeAll(async () => {
    bucket = await createVersionedBucket(s3, 'cli-bad');
    vault = await createVault(s3);
    const h = new HistoryBuilder(s3, bucket);
    await h.put('docs/a.html', 'a');
    await h.put('b.html', 'b');
    plain = uniqueBucket('unversioned');
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new CreateBucketCommand({ Bucket: plain }));
    await s3.send(new PutObjectCommand({ Bucket: plain, Key: 'a', Body: 'a' }));
    await putText(s3, { bucket: recordBucket, key: 'bad/release.json' }, '{"format":"sitedr-release/1","files":{"a":1}}', 'application/json');
    await putText(s3, { bucket: recordBucket, key: 'bad/undo.jsonl' }, '{"format":"sitedr-undo/1"}\n', 'application/x-ndjson');
    versionsBefore = await allVersions(s3, bucket);
  });

  const future = () => new Date(Date.now() + 3600_000).toISOString();
  const cases: [string, () => string[], string, string?][] = [
    ['no source', () => ['restore', '--bucket', bucket, '--record', record], 'SOURCE'],
    ['two sources', () => ['restore', '--bucket', bucket, '--to', '2026-01-01T00:00:00Z', '--undelete', '--since', '2026-01-01T00:00:00Z'], 'SOURCE'],
    ['a time without a zone', () => ['restore', '--bucket', bucket, '--to', '2026-12-01T10:00:00', '--record', record], '--to'],
    ['a time in the future', () => ['restore', '--bucket', bucket, '--to', future(), '--record', record], '--to'],
    ['a time before the first version', () => ['restore', '--bucket', bucket, '--to', '2020-01-01T00:00:00Z', '--record', record], '--to'],
    ['an unversioned bucket', () => ['restore', '--bucket', plain, '--to', new Date().toISOString(), '--record', record], '--bucket', 'put-bucket-versioning'],
    ['a missing bucket', () => ['plan', '--bucket', uniqueBucket('missing'), '--to', new Date().toISOString()], '--bucket', 'NotFound'],
    ['a key without a version id', () => ['restore', '--bucket', bucket, '--key', 'b.html', '--record', record], '--version-id'],
    ['a missing key', () => ['restore', '--bucket', bucket, '--key', 'nope.html', '--version-id', 'x', '--record', record], '--key', 'NotFound'],
    ['a missing version', () => ['restore', '--bucket', bucket, '--key', 'b.html', '--version-id', 'nope', '--record', record], '--version-id', 'NotFound'],
    ['a missing snapshot', () => ['restore', '--bucket', bucket, '--snapshot', '20261201T100000000Z-abcdef', '--vault', vault, '--record', record], '--snapshot', 'NotFound'],
    ['a snapshot without a vault', () => ['restore', '--bucket', bucket, '--snapshot', '20261201T100000000Z-abcdef', '--record', record], '--vault'],
    ['a missing manifest', () => ['restore', '--bucket', bucket, '--manifest', `s3://${recordBucket}/nope.json`, '--record', record], '--manifest', 'NotFound'],
    ['a malformed manifest', () => ['restore', '--bucket', bucket, '--manifest', `s3://${recordBucket}/bad/release.json`, '--record', record], '--manifest'],
    ['a prefix matching nothing', () => ['restore', '--bucket', bucket, '--prefix', 'nothing/', '--to', new Date().toISOString(), '--record', record], '--prefix'],
    ['concurrency 0', () => ['restore', '--bucket', bucket, '--to', new Date().toISOString(), '--concurrency', '0', '--record', record], '--concurrency'],
    ['concurrency 1000', () => ['restore', '--bucket', bucket, '--to', new Date().toISOString(), '--concurrency', '1000', '--record', record], '--concurrency'],
    ['no record location', () => ['restore', '--bucket', bucket, '--to', new Date().toISOString()], '--record'],
    ['an unknown snapshot to verify', () => ['verify-snapshot', '--vault', vault, '--snapshot', '20261201T100000000Z-abcdef'], '--snapshot', 'NotFound'],
    ['a malformed undo manifest', () => ['undo', '--manifest', `s3://${recordBucket}/bad/undo.jsonl`], '--manifest'],
    ['a snapshot of a prefix matching nothing', () => ['snapshot', '--bucket', bucket, '--vault', vault, '--prefix', 'nothing/'], '--prefix'],
  ];

  // Objects, not tuples: jest would pass its `done` callback in place of a missing 4th element.
  const table = cases.map(([label, argv, field, mention]) => ({ label, argv, field, mention: mention ?? '' }));
  test.each(table)('$label', async ({ argv, field, mention }) => {
    const run = await sitedr(...argv(), '--json');
    expect(run.code).toBe(2);
    const { error } = run.json<{ error: { field: string; name: string; message: string } }>();
    expect(error.field).toBe(field);
    if (mention) expect(`${error.name} ${error.message}`).toContain(mention);
    const human = await sitedr(...argv());
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(`(${field})`);
    expect(await allVersions(s3, bucket)).toEqual(versionsBefore);
  });

  test('the real binary exits 2 on bad input and prints the JSON error', async () => {
    const run = await waitForExit(spawnSitedr(['restore', '--bucket', bucket, '--to', 'yesterday', '--json']));
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ ok: false, error: { name: 'InvalidInput', field: '--to' } });
  });

  test('unknown options are bad input too', async () => {
    expect((await sitedr('restore', '--bucket', bucket, '--frobnicate')).code).toBe(2);
    expect((await sitedr('no-such-command')).code).toBe(2);
    expect((await sitedr()).code).toBe(2);
  });
});
