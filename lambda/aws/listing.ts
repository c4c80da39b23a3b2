/** Listing adapters: paginated ListObjectVersions turned into the core's version histories. */
import { GetBucketVersioningCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidInput, NotFound } from '../shared/errors';
import { KeyHistory, VersionEntry, compareListingOrder, currentVersion, groupByKey } from '../core/versions';
import type { SourceObject } from '../core/snapshot';
import { withRetry } from './retry';

export function isNoSuchBucket(err: unknown): boolean {
  return (err as { name?: string })?.name === 'NoSuchBucket';
}

export function isNotFoundError(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return ['NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchVersion'].includes(e?.name ?? '') || e?.$metadata?.httpStatusCode === 404;
}

export function missingBucket(bucket: string, field: string): NotFound {
  return new NotFound(field, 'an existing bucket you can reach', `bucket ${bucket} does not exist (or this account cannot see it)`);
}

/** Every version and delete marker under `prefix`, page by page, in S3's listing order. */
export async function* listVersionEntries(s3: S3Client, bucket: string, prefix: string, field = 'bucket'): AsyncGenerator<VersionEntry> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await withRetry(() =>
      s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker })),
    ).catch((err) => {
      throw isNoSuchBucket(err) ? missingBucket(bucket, field) : err;
    });
    const entries: VersionEntry[] = [];
    for (const v of page.Versions ?? []) {
      entries.push({
        key: v.Key!,
        versionId: v.VersionId ?? 'null',
        isLatest: v.IsLatest ?? false,
        isDeleteMarker: false,
        lastModified: v.LastModified ?? new Date(0),
        size: v.Size ?? 0,
        etag: v.ETag ?? '',
        storageClass: v.StorageClass,
      });
    }
    for (const m of page.DeleteMarkers ?? []) {
      entries.push({
        key: m.Key!,
        versionId: m.VersionId ?? 'null',
        isLatest: m.IsLatest ?? false,
        isDeleteMarker: true,
        lastModified: m.LastModified ?? new Date(0),
        size: 0,
        etag: '',
      });
    }
    entries.sort(compareListingOrder);
    yield* entries;
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** One history per key, streamed. */
export function listHistories(s3: S3Client, bucket: string, prefix: string, field = 'bucket'): AsyncGenerator<KeyHistory> {
  return groupByKey(listVersionEntries(s3, bucket, prefix, field));
}

/** The current (visible) version of every key under `prefix`. */
export async function listCurrentObjects(s3: S3Client, bucket: string, prefix: string, field = 'bucket'): Promise<SourceObject[]> {
  const objects: SourceObject[] = [];
  for await (const history of listHistories(s3, bucket, prefix, field)) {
    const current = currentVersion(history);
    if (current) objects.push({ key: current.key, versionId: current.versionId, size: current.size, etag: current.etag });
  }
  return objects;
}

/**
 * Restores rely on versioning: without it a copy overwrites the only copy and a delete destroys
 * data. Refuses (and says how to fix it) unless versioning is Enabled.
 */
export async function requireVersioning(s3: S3Client, bucket: string, field = 'bucket'): Promise<void> {
  const res = await withRetry(() => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).catch((err) => {
    throw isNoSuchBucket(err) ? missingBucket(bucket, field) : err;
  });
  if (res.Status !== 'Enabled') {
    throw new InvalidInput(
      field,
      'a bucket with versioning enabled',
      `bucket ${bucket} has versioning ${res.Status ? res.Status.toLowerCase() : 'never enabled'}: a restore needs its old versions and must not overwrite data. ` +
        `Enable it with: aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled ` +
        `(only changes made after that can be restored to a point in time)`,
    );
  }
}
