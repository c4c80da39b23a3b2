import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { s3OperationName } from '../support/s3-operation';
import { S3Proxy, startS3Proxy } from '../support/s3-proxy';

// The fault-injecting, call-counting proxy the engine's fault tests and the benchmarks rely on:
// it must count exactly what the SDK sends and fail requests the way S3 and networks do.

const emulator = process.env.AWS_ENDPOINT_URL!;
const bucket = 'proxy-test-bucket';
const direct = new S3Client({ endpoint: emulator, forcePathStyle: true });
const through = (proxy: S3Proxy, config: S3ClientConfig = {}) =>
  new S3Client({ endpoint: proxy.endpoint, forcePathStyle: true, ...config });

beforeAll(async () => {
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  await direct.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});

describe('counting', () => {
  let proxy: S3Proxy;
  beforeAll(async () => (proxy = await startS3Proxy({ target: emulator })));
  afterAll(() => proxy.close());

  test('names each call by its S3 operation and forwards it faithfully', async () => {
    const s3 = through(proxy);
    await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'count/a.html', Body: 'a1', ContentType: 'text/html' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'count/a.html', Body: 'a2' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'count/dir/b c+%.txt', Body: 'b' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'count/' }));
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'count/' }));
    const oldest = listed.Versions!.find((v) => v.Key === 'count/a.html' && !v.IsLatest)!;
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'count/a.html', CopySource: `${bucket}/count/a.html?versionId=${oldest.VersionId}` }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'count/a.html' }));
    expect(await got.Body!.transformToString()).toBe('a1');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'count/dir/b c+%.txt' }));
    expect(head.ContentLength).toBe(1);
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'count/big' }));
    const part = await s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'count/big', UploadId: upload.UploadId, PartNumber: 1, CopySource: `${bucket}/count/a.html` }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'count/big',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult!.ETag }] },
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'count/big' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'count/dir/b c+%.txt' }] } }));

    expect(proxy.counts()).toEqual({
      GetBucketVersioning: 1,
      PutObject: 3,
      ListObjectVersions: 1,
      ListObjectsV2: 1,
      CopyObject: 1,
      GetObject: 1,
      HeadObject: 1,
      CreateMultipartUpload: 1,
      UploadPartCopy: 1,
      CompleteMultipartUpload: 1,
      DeleteObject: 1,
      DeleteObjects: 1,
    });
    expect(proxy.total()).toBe(14);

    // What went through the proxy really happened on the emulator.
    const after = await direct.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'count/' }));
    expect(after.Versions!.filter((v) => v.Key === 'count/a.html')).toHaveLength(3);
    expect(after.DeleteMarkers!.map((d) => d.Key).sort()).toEqual(['count/big', 'count/dir/b c+%.txt']);

    proxy.reset();
    expect(proxy.counts()).toEqual({});
    expect(proxy.total()).toBe(0);
  });

  test('does not count the emulator control plane', async () => {
    const res = await fetch(`${proxy.endpoint}/moto-api/`);
    expect(res.status).toBe(200);
    expect(proxy.total()).toBe(0);
  });
});

// The request shapes the SDK test above does not send, named from method, query and headers alone.
test.each([
  ['GET', '/', {}, 'ListBuckets'],
  ['GET', '/b', {}, 'ListObjects'],
  ['GET', '/b?list-type=2&prefix=a', {}, 'ListObjectsV2'],
  ['GET', '/b?versions&key-marker=k', {}, 'ListObjectVersions'],
  ['GET', '/b/', {}, 'ListObjects'],
  ['HEAD', '/b', {}, 'HeadBucket'],
  ['PUT', '/b', {}, 'CreateBucket'],
  ['PUT', '/b?versioning', {}, 'PutBucketVersioning'],
  ['GET', '/b?object-lock', {}, 'GetObjectLockConfiguration'],
  ['DELETE', '/b?lifecycle', {}, 'DeleteBucketLifecycleConfiguration'],
  ['GET', '/b?uploads', {}, 'ListMultipartUploads'],
  ['PUT', '/b/k?partNumber=2&uploadId=u', {}, 'UploadPart'],
  ['PUT', '/b/k?partNumber=2&uploadId=u', { 'x-amz-copy-source': '/b/s' }, 'UploadPartCopy'],
  ['GET', '/b/k?uploadId=u', {}, 'ListParts'],
  ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
  ['DELETE', '/b/k?versionId=v', {}, 'DeleteObject'],
  ['GET', '/b/k?versionId=v', {}, 'GetObject'],
  ['GET', '/b/dir/k?attributes', {}, 'GetObjectAttributes'],
  ['PUT', '/b/k?tagging', {}, 'PutObjectTagging'],
  ['PUT', '/b/k?tagging', { 'x-amz-copy-source': '/b/s' }, 'PutObjectTagging'],
  ['POST', '/b/k?restore', {}, 'RestoreObject'],
  ['PATCH', '/b/k', {}, 'Other'],
])('%s %s %j is %s', (method, url, headers, expected) => {
  expect(s3OperationName(method, url, headers)).toBe(expected);
});

describe('faults', () => {
  test('503 SlowDown reaches an SDK client without retries, as S3 XML, and is not forwarded', async () => {
    const proxy = await startS3Proxy({ target: emulator, faults: { slowDownRate: 1 } });
    try {
      const s3 = through(proxy, { maxAttempts: 1 });
      const err = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'fault/slow', Body: 'x' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
      expect(proxy.counts()).toEqual({ PutObject: 1 });
      await expect(direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 'fault/slow' }))).rejects.toMatchObject({ name: 'NotFound' });
      // The control plane stays reachable whatever the fault rates.
      expect((await fetch(`${proxy.endpoint}/moto-api/`)).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  test('a connection reset surfaces as a network error and the request is not forwarded', async () => {
    const proxy = await startS3Proxy({ target: emulator, faults: { resetRate: 1 } });
    try {
      const s3 = through(proxy, { maxAttempts: 1 });
      const err = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'fault/reset', Body: 'x' })).catch((e: unknown) => e)) as Error & {
        code?: string;
        $metadata?: { httpStatusCode?: number };
      };
      expect(err).toBeInstanceOf(Error);
      expect(err.code ?? err.message).toMatch(/ECONNRESET|socket hang up|EPIPE/);
      expect(err.$metadata?.httpStatusCode).toBeUndefined();
      await expect(direct.send(new HeadObjectCommand({ Bucket: bucket, Key: 'fault/reset' }))).rejects.toMatchObject({ name: 'NotFound' });
    } finally {
      await proxy.close();
    }
  });

  test('latency delays every request by the configured amount', async () => {
    const proxy = await startS3Proxy({ target: emulator, faults: { latencyMs: 300 } });
    try {
      const s3 = through(proxy);
      const started = Date.now();
      await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await proxy.close();
    }
  });

  test('the same seed faults the same requests', async () => {
    const outcomes = async (seed: number) => {
      const proxy = await startS3Proxy({ target: emulator, faults: { slowDownRate: 0.5, seed } });
      const s3 = through(proxy, { maxAttempts: 1 });
      const results: boolean[] = [];
      for (let i = 0; i < 12; i++) {
        results.push(await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })).then(() => true, () => false));
      }
      await proxy.close();
      return results;
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });

  test("the SDK's default retry strategy gets every write through a 30 % SlowDown rate", async () => {
    const proxy = await startS3Proxy({ target: emulator, faults: { slowDownRate: 0.3, seed: 7 } });
    try {
      // Standard retry mode (the default) classifies SlowDown as throttling and backs off. Its default of
      // 3 attempts would still fail 0.3^3 = 2.7 % of operations at this rate, so an engine facing sustained
      // throttling needs more attempts: with 5, 0.24 % per operation.
      const s3 = through(proxy, { maxAttempts: 5 });
      const keys = Array.from({ length: 20 }, (_, i) => `retry/${i}`);
      // Sequential, so the seeded fault sequence (and therefore this test) is deterministic.
      for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
      const listed = await direct.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'retry/' }));
      expect(listed.KeyCount).toBe(keys.length);
      // Some requests were throttled and retried, and each retry is counted as a call.
      expect(proxy.counts().PutObject).toBeGreaterThan(keys.length);
    } finally {
      await proxy.close();
    }
  });
});
