/**
 * Server-side copies: CopyObject up to a threshold, multipart UploadPartCopy above it (CopyObject
 * stops at 5 GiB). Content type, cache control, encoding, disposition, language, expiry and user
 * metadata always travel with the content; tags only when asked.
 */
import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  S3Client,
  StorageClass,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../core/concurrency';
import type { ObjectRef } from '../core/plan';
import { withRetry } from './retry';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
/** The largest object CopyObject accepts. */
export const DEFAULT_MULTIPART_THRESHOLD = 5 * GiB;
const DEFAULT_PART_SIZE = 512 * MiB;
const MAX_PARTS = 10_000;

/**
 * User-metadata key recording which content a multipart copy holds. A multipart copy gets a new
 * `…-N` ETag, so without it a re-run could not tell the copy is already done.
 */
export const COPY_MARKER_METADATA = 'sitedr-source-etag';

export interface CopyOptions {
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
  readonly copyTags?: boolean;
  /** Storage class of the new object. @default STANDARD (S3's default for a copy) */
  readonly storageClass?: string;
  /** Have S3 compute and store this checksum on the new object. */
  readonly checksumAlgorithm?: ChecksumAlgorithm;
}

export interface CopyResult {
  readonly versionId: string;
  readonly etag: string;
  readonly checksum?: { algorithm: string; value: string };
  /** Whether the multipart path was used. */
  readonly multipart: boolean;
}

export function copySource(ref: ObjectRef): string {
  return `${ref.bucket}/${encodeURIComponent(ref.key)}?versionId=${encodeURIComponent(ref.versionId)}`;
}

/** Copies one exact version to `to`, adding a new version there. `identityEtag` is the content's ETag for the copy marker. */
export async function copyVersion(s3: S3Client, from: ObjectRef, to: { bucket: string; key: string }, size: number, identityEtag: string, opts: CopyOptions = {}): Promise<CopyResult> {
  const threshold = opts.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD;
  if (size > threshold) return multipartCopy(s3, from, to, size, identityEtag, opts);
  const res = await s3.send(
    new CopyObjectCommand({
      Bucket: to.bucket,
      Key: to.key,
      CopySource: copySource(from),
      MetadataDirective: 'COPY',
      TaggingDirective: opts.copyTags ? 'COPY' : 'REPLACE',
      StorageClass: opts.storageClass as StorageClass | undefined,
      ChecksumAlgorithm: opts.checksumAlgorithm,
    }),
  );
  const r = res.CopyObjectResult ?? {};
  return { versionId: res.VersionId ?? 'null', etag: r.ETag ?? '', checksum: pickChecksum(r), multipart: false };
}

export function pickChecksum(r: { ChecksumSHA256?: string; ChecksumSHA1?: string; ChecksumCRC32?: string; ChecksumCRC32C?: string; ChecksumCRC64NVME?: string }): { algorithm: string; value: string } | undefined {
  if (r.ChecksumSHA256) return { algorithm: 'SHA256', value: r.ChecksumSHA256 };
  if (r.ChecksumSHA1) return { algorithm: 'SHA1', value: r.ChecksumSHA1 };
  if (r.ChecksumCRC64NVME) return { algorithm: 'CRC64NVME', value: r.ChecksumCRC64NVME };
  if (r.ChecksumCRC32C) return { algorithm: 'CRC32C', value: r.ChecksumCRC32C };
  if (r.ChecksumCRC32) return { algorithm: 'CRC32', value: r.ChecksumCRC32 };
  return undefined;
}

/** S3 needs object tags as a URL query string on upload. */
function encodeTags(tags: { Key?: string; Value?: string }[]): string | undefined {
  if (tags.length === 0) return undefined;
  return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
}

async function multipartCopy(s3: S3Client, from: ObjectRef, to: { bucket: string; key: string }, size: number, identityEtag: string, opts: CopyOptions): Promise<CopyResult> {
  // UploadPartCopy copies bytes only: the object's headers and metadata come from the source's HEAD.
  const head: HeadObjectCommandOutput = await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: from.bucket, Key: from.key, VersionId: from.versionId })));
  const tagging = opts.copyTags
    ? encodeTags((await withRetry(() => s3.send(new GetObjectTaggingCommand({ Bucket: from.bucket, Key: from.key, VersionId: from.versionId })))).TagSet ?? [])
    : undefined;
  const created = await withRetry(() =>
    s3.send(
      new CreateMultipartUploadCommand({
        Bucket: to.bucket,
        Key: to.key,
        ContentType: head.ContentType,
        CacheControl: head.CacheControl,
        ContentEncoding: head.ContentEncoding,
        ContentDisposition: head.ContentDisposition,
        ContentLanguage: head.ContentLanguage,
        Expires: head.Expires,
        WebsiteRedirectLocation: head.WebsiteRedirectLocation,
        Metadata: { ...(head.Metadata ?? {}), [COPY_MARKER_METADATA]: identityEtag.replace(/"/g, '') },
        StorageClass: opts.storageClass as StorageClass | undefined,
        Tagging: tagging,
        ChecksumAlgorithm: opts.checksumAlgorithm,
      }),
    ),
  );
  const uploadId = created.UploadId!;
  const partSize = Math.max(opts.partSizeBytes ?? DEFAULT_PART_SIZE, Math.ceil(size / MAX_PARTS));
  const ranges: { partNumber: number; start: number; end: number }[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) ranges.push({ partNumber: n, start, end: Math.min(size, start + partSize) - 1 });
  try {
    const parts = await mapWithConcurrency(ranges, 4, async (range) => {
      const res = await withRetry(() =>
        s3.send(
          new UploadPartCopyCommand({
            Bucket: to.bucket,
            Key: to.key,
            UploadId: uploadId,
            PartNumber: range.partNumber,
            CopySource: copySource(from),
            CopySourceRange: `bytes=${range.start}-${range.end}`,
          }),
        ),
      );
      const r = res.CopyPartResult ?? {};
      return { PartNumber: range.partNumber, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256, ChecksumCRC32: r.ChecksumCRC32, ChecksumCRC32C: r.ChecksumCRC32C, ChecksumSHA1: r.ChecksumSHA1 };
    });
    const done = await withRetry(() => s3.send(new CompleteMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId, MultipartUpload: { Parts: parts } })));
    const versionId = done.VersionId ?? 'null';
    let checksum = pickChecksum(done);
    if (!checksum && opts.checksumAlgorithm) {
      // Not every S3 implementation returns the checksum on completion; the stored one is what verification will compare.
      checksum = pickChecksum(await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: to.bucket, Key: to.key, VersionId: versionId, ChecksumMode: 'ENABLED' }))));
    }
    return { versionId, etag: done.ETag ?? '', checksum, multipart: true };
  } catch (err) {
    // Leave no half-finished upload behind to be billed; the copy itself is retried by the caller.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId })).catch(() => undefined);
    throw err;
  }
}

/** The content ETag a multipart copy recorded (with quotes, as ETags are listed), if any. */
export function copyMarkerOf(head: { Metadata?: Record<string, string> }): string | undefined {
  const value = head.Metadata?.[COPY_MARKER_METADATA];
  return value ? `"${value}"` : undefined;
}

/** Reads the copy marker of one version. */
export async function readCopyMarker(s3: S3Client, bucket: string, key: string, versionId: string): Promise<string | undefined> {
  const head = await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })));
  return copyMarkerOf(head);
}
