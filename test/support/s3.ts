/** Small S3 helpers for tests against the emulator. */
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createS3Client } from '../../lambda/aws/client';

export function testClient(endpoint?: string): S3Client {
  return createS3Client(endpoint ? { endpoint } : {});
}

/** A bucket name no other test uses, so suites need no reset between them. */
export function uniqueBucket(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`.toLowerCase().slice(0, 63);
}

export async function createVersionedBucket(s3: S3Client, label: string): Promise<string> {
  const bucket = uniqueBucket(label);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

/** A vault like the VaultStack's: versioned, Object Lock with a default retention. */
export async function createVault(s3: S3Client, label = 'vault'): Promise<string> {
  const bucket = uniqueBucket(label);
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
    }),
  );
  return bucket;
}

export async function readBody(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export interface ListedVersion {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly etag: string;
}

/** Every version and delete marker (all pages). */
export async function allVersions(s3: S3Client, bucket: string, prefix = ''): Promise<ListedVersion[]> {
  const out: ListedVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    for (const v of page.Versions ?? []) out.push({ key: v.Key!, versionId: v.VersionId!, isLatest: !!v.IsLatest, isDeleteMarker: false, etag: v.ETag ?? '' });
    for (const m of page.DeleteMarkers ?? []) out.push({ key: m.Key!, versionId: m.VersionId!, isLatest: !!m.IsLatest, isDeleteMarker: true, etag: '' });
    if (!page.IsTruncated) return out;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** The object version ids (delete markers excluded): what "nothing lost" compares. */
export async function objectVersionIds(s3: S3Client, bucket: string): Promise<Set<string>> {
  return new Set((await allVersions(s3, bucket)).filter((v) => !v.isDeleteMarker).map((v) => `${v.key}\u0000${v.versionId}`));
}

/** What the site serves now: key -> body, for every visible key. */
export async function visibleContent(s3: S3Client, bucket: string, prefix = ''): Promise<Map<string, string>> {
  const latest = (await allVersions(s3, bucket, prefix)).filter((v) => v.isLatest && !v.isDeleteMarker);
  const out = new Map<string, string>();
  for (const v of latest) out.set(v.key, (await readBody(s3, bucket, v.key)).toString('utf8'));
  return out;
}

export function sorted(map: Map<string, string>): [string, string][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
