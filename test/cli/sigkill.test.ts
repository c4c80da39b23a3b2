/**
 * A restore killed mid-way (SIGKILL, no chance to clean up) and run again ends exactly right:
 * every key as at T, nothing lost, no key copied twice.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { restoreRequest } from '../../lambda/shared/schemas';
import { spawnSitedr, waitForExit } from '../support/cli';
import { HistoryBuilder } from '../support/history';
import { allVersions, createVersionedBucket, objectVersionIds, sorted, testClient, visibleContent } from '../support/s3';
import { startS3Proxy } from '../support/s3-proxy';

const KEYS = 120;
let s3: S3Client;
beforeAll(() => {
  s3 = testClient();
});
afterAll(() => s3.destroy());

async function objectVersionCount(bucket: string): Promise<number> {
  return (await allVersions(s3, bucket)).filter((v) => !v.isDeleteMarker).length;
}

test('SIGKILL mid-restore, then the same restore again: converges with no duplicate copies', async () => {
  const bucket = await createVersionedBucket(s3, 'killed');
  const record = `s3://${await createVersionedBucket(s3, 'records')}/kill`;
  const h = new HistoryBuilder(s3, bucket);
  await Promise.all(Array.from({ length: KEYS }, (_, i) => h.put(`page-${String(i).padStart(3, '0')}.html`, `good ${i}`)));
  const t = await h.checkpoint();
  await Promise.all(Array.from({ length: KEYS }, (_, i) => h.put(`page-${String(i).padStart(3, '0')}.html`, `bad ${i}`)));
  const versionsBefore = await objectVersionIds(s3, bucket);
  const args = ['restore', '--bucket', bucket, '--to', t.at.toISOString(), '--record', record, '--json'];

  // Latency keeps the copies slow enough to kill the process between the first and the last.
  const proxy = await startS3Proxy({ target: process.env.AWS_ENDPOINT_URL!, faults: { latencyMs: 25 } });
  try {
    const child = spawnSitedr([...args, '--concurrency', '2'], { AWS_ENDPOINT_URL_S3: proxy.endpoint });
    const exited = waitForExit(child);
    let finishedOnItsOwn = false;
    void exited.then(() => (finishedOnItsOwn = true));
    let done = 0;
    while (done < 10 && !finishedOnItsOwn) {
      await new Promise((r) => setTimeout(r, 50));
      done = (await objectVersionCount(bucket)) - versionsBefore.size;
    }
    child.kill('SIGKILL');
    const killed = await exited;
    expect(killed.signal).toBe('SIGKILL');
  } finally {
    await proxy.close();
  }
  await new Promise((r) => setTimeout(r, 300)); // let requests already sent land
  const copiedBeforeKill = (await objectVersionCount(bucket)) - versionsBefore.size;
  expect(copiedBeforeKill).toBeGreaterThanOrEqual(10);
  expect(copiedBeforeKill).toBeLessThan(KEYS);

  const rerun = await waitForExit(spawnSitedr(args));
  expect(rerun.code).toBe(0);
  const result = rerun.json<{ counts: { copied: number; unchanged: number }; verification: { mismatches: unknown[] } }>();
  expect(result.counts.copied).toBe(KEYS - copiedBeforeKill);
  expect(result.counts.unchanged).toBe(copiedBeforeKill);
  expect(result.verification.mismatches).toEqual([]);

  expect(sorted(await visibleContent(s3, bucket))).toEqual(sorted(new Map(t.content)));
  expect(await objectVersionCount(bucket)).toBe(versionsBefore.size + KEYS);
  const after = await objectVersionIds(s3, bucket);
  expect([...versionsBefore].filter((id) => !after.has(id))).toEqual([]);
  const again = await buildRestorePlan(s3, restoreRequest.parse({ bucket, source: { kind: 'pointInTime', at: t.at.toISOString() } }), { planId: 'third' });
  expect(again.ops).toEqual([]);
});
