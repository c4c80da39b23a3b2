import { S3Client, CreateBucketCommand, PutBucketVersioningCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';

// The harness itself: the SDK reaches the emulator over HTTP with versioning support.
test('the S3 emulator answers the real SDK over HTTP', async () => {
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'harness-check' }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'harness-check', VersioningConfiguration: { Status: 'Enabled' } }));
  const v = await s3.send(new GetBucketVersioningCommand({ Bucket: 'harness-check' }));
  expect(v.Status).toBe('Enabled');
  expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
