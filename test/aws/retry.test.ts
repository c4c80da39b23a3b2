/** Retry policy, with the SDK client mocked (aws-sdk-client-mock): what is retried, how often, and what is not. */
import { CopyObjectCommand, DeleteObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { executePlan } from '../../lambda/aws/execute';
import { isRetryable, withRetry } from '../../lambda/aws/retry';
import { PlanOp } from '../../lambda/core/plan';

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}
const noSleep = { sleep: async () => undefined };

const copyOp: PlanOp = { kind: 'copy', key: 'index.html', from: { bucket: 'site', key: 'index.html', versionId: 'v1' }, size: 3, etag: '"e"', before: null };
const hideOp: PlanOp = { kind: 'hide', key: 'new.html', before: { versionId: 'v9', size: 1, etag: '"n"' } };

test('throttling, 5xx and dropped connections are retried; client errors are not', () => {
  expect(isRetryable(s3Error('SlowDown', 503))).toBe(true);
  expect(isRetryable(s3Error('InternalError', 500))).toBe(true);
  expect(isRetryable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
  expect(isRetryable(new Error('socket hang up'))).toBe(true);
  expect(isRetryable(s3Error('AccessDenied', 403))).toBe(false);
  expect(isRetryable(s3Error('NoSuchKey', 404))).toBe(false);
  expect(isRetryable(new TypeError('bug'))).toBe(false);
});

test('withRetry backs off with growing, capped delays and gives up after maxAttempts', async () => {
  const delays: number[] = [];
  let calls = 0;
  const failing = withRetry(
    async () => {
      calls++;
      throw s3Error('SlowDown', 503);
    },
    { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999, sleep: async (ms) => void delays.push(ms) },
  );
  await expect(failing).rejects.toMatchObject({ name: 'SlowDown' });
  expect(calls).toBe(5);
  expect(delays).toEqual([99, 199, 299, 299]);
});

test('the executor rides out SlowDown on a copy and reports a permanent failure without stopping the rest', async () => {
  const mock = mockClient(S3Client);
  mock
    .on(CopyObjectCommand)
    .rejectsOnce(s3Error('SlowDown', 503))
    .rejectsOnce(s3Error('SlowDown', 503))
    .resolves({ VersionId: 'new', CopyObjectResult: { ETag: '"e"' } });
  mock.on(DeleteObjectCommand).rejects(s3Error('AccessDenied', 403));
  const report = await executePlan(new S3Client({}), 'site', [copyOp, hideOp], { retry: noSleep });
  expect(report).toMatchObject({ copied: 1, hidden: 0, copiedBytes: 3 });
  expect(report.failed).toEqual([{ key: 'new.html', kind: 'hide', error: 'AccessDenied: AccessDenied' }]);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(3);
  expect(mock.commandCalls(DeleteObjectCommand)).toHaveLength(1);
  // The hide is a plain DELETE: no version id, so it can only add a delete marker.
  expect(mock.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: 'site', Key: 'new.html' });
  // The copy names the exact source version and keeps the object's headers.
  expect(mock.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({ CopySource: 'site/index.html?versionId=v1', MetadataDirective: 'COPY', TaggingDirective: 'REPLACE' });
  mock.restore();
});
