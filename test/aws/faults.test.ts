/**
 * A restore through a proxy that answers 503 SlowDown, drops connections and adds latency still
 * ends exactly right, and loses nothing.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../lambda/aws/client';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { runRestore } from '../../lambda/aws/restore';
import { restoreRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder } from '../support/history';
import { createVersionedBucket, objectVersionIds, sorted, testClient, visibleContent } from '../support/s3';
import { startS3Proxy } from '../support/s3-proxy';

const KEYS = 40;
let s3: S3Client;
let record: string;
beforeAll(async () => {
  s3 = testClient();
  record = `s3://${await createVersionedBucket(s3, 'records')}/faults`;
});
afterAll(() => s3.destroy());

/** Two identical sites (same history, same T): one restored cleanly, one through faults. */
async function siteWithChanges(): Promise<{ bucket: string; at: Date; expected: Map<string, string> }[]> {
  const sites = await Promise.all([0, 1].map(async () => new HistoryBuilder(s3, await createVersionedBucket(s3, 'faults'))));
  await Promise.all(sites.map(async (h) => { for (let i = 0; i < KEYS; i++) await h.put(`k${i}.html`, `good ${i}`); }));
  const t = await sites[0].checkpoint();
  sites[1].record(t.at);
  await Promise.all(
    sites.map(async (h) => {
      for (let i = 0; i < KEYS; i++) {
        if (i % 4 === 0) await h.delete(`k${i}.html`);
        else if (i % 4 !== 3) await h.put(`k${i}.html`, `bad ${i}`);
      }
      await h.put('stray.html', 'stray');
    }),
  );
  return sites.map((h) => ({ bucket: h.bucket, at: t.at, expected: new Map(h.checkpoints[0].content) }));
}

test('SlowDown, connection resets and latency: the restore still converges exactly', async () => {
  const [clean, faulty] = await siteWithChanges();
  const endpoint = process.env.AWS_ENDPOINT_URL!;
  const calm = await startS3Proxy({ target: endpoint });
  const rough = await startS3Proxy({ target: endpoint, faults: { slowDownRate: 0.15, resetRate: 0.05, latencyMs: 3, seed: 7 } });
  const calmClient = createS3Client({ endpoint: calm.endpoint });
  const roughClient = createS3Client({ endpoint: rough.endpoint });
  try {
    const request = (bucket: string, at: Date) => restoreRequest.parse({ bucket, source: { kind: 'pointInTime', at: at.toISOString() }, record, concurrency: 8 });
    const baseline = await runRestore(calmClient, request(clean.bucket, clean.at));
    expect(baseline.ok).toBe(true);

    const before = await objectVersionIds(s3, faulty.bucket);
    const result = await runRestore(roughClient, request(faulty.bucket, faulty.at));
    expect(result.ok).toBe(true);
    expect(result.counts).toEqual(baseline.counts);
    expect(sorted(await visibleContent(s3, faulty.bucket))).toEqual(sorted(faulty.expected));
    const after = await objectVersionIds(s3, faulty.bucket);
    expect([...before].filter((id) => !after.has(id))).toEqual([]);
    expect((await buildRestorePlan(s3, request(faulty.bucket, faulty.at), { planId: 'again' })).ops).toEqual([]);
    // The faults really happened: the same restore needed more requests than the calm one.
    expect(rough.total()).toBeGreaterThan(calm.total());
  } finally {
    calmClient.destroy();
    roughClient.destroy();
    await calm.close();
    await rough.close();
  }
});
