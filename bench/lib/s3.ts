/**
 * S3 plumbing for the benchmarks: straight to the emulator (seeding and checking are not counted, so
 * they bypass the proxy): writing a history, and reading a bucket's full listing.
 */
import { CreateBucketCommand, ListObjectsV2Command, ListObjectsV2CommandOutput, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { Write } from './history';

export const BENCH_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const BENCH_REGION = 'us-east-1';

export function directClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: BENCH_REGION,
    credentials: BENCH_CREDENTIALS,
    requestHandler: new NodeHttpHandler({ httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 16 }) }),
    maxAttempts: 5,
  });
}

export async function createVersionedBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

/**
 * Applies groups of writes to a bucket with `concurrency` groups in flight. Writes within a group
 * (one key's versions) stay in order, since their order is the version order.
 * Returns the version ids created, so the run can check later that none was lost.
 *
 * Seeding is harness work, not measured, and it is most of the run's time: it uses bare HTTP
 * requests rather than the SDK, which on two cores left moto ~40 % more CPU (moto does not check
 * signatures, so a syntactically valid Authorization header is enough).
 */
export async function applyWrites(endpoint: string, bucket: string, groups: readonly (readonly Write[])[], concurrency: number): Promise<string[]> {
  const created: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++];
      for (const w of group) created.push(await rawWrite(endpoint, bucket, w));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return created;
}

const seedAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const UNCHECKED_AUTH = 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';

/** PUT the body, or DELETE (laying a delete marker) when there is none; resolves to the new version id. */
function rawWrite(endpoint: string, bucket: string, w: Write): Promise<string> {
  const url = new URL(endpoint);
  const body = w.body ?? '';
  const headers: Record<string, string | number> = { authorization: UNCHECKED_AUTH, 'content-length': Buffer.byteLength(body) };
  if (w.body !== undefined) headers['content-type'] = 'text/html';
  const path = `/${bucket}/${w.key.split('/').map(encodeURIComponent).join('/')}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: url.hostname, port: url.port, method: w.body === undefined ? 'DELETE' : 'PUT', path, headers, agent: seedAgent },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          const versionId = res.headers['x-amz-version-id'];
          if (res.statusCode! >= 300 || typeof versionId !== 'string') reject(new Error(`seeding ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(versionId);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What every key shows now (key -> ETag; hidden keys are simply absent), from ListObjectsV2.
 * Not ListObjectVersions: moto scans every version of the bucket on each of those pages (about 1.8 s
 * a page at 10,000 versions), while the current objects come back in two quick pages.
 */
export async function listCurrent(s3: S3Client, bucket: string): Promise<Map<string, string | null>> {
  const state = new Map<string, string | null>();
  let page: ListObjectsV2CommandOutput | undefined;
  do {
    page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: page?.NextContinuationToken }));
    for (const o of page.Contents ?? []) state.set(o.Key!, o.ETag!);
  } while (page.IsTruncated);
  return state;
}
