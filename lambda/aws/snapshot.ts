/** Snapshots into the vault: incremental copies plus a manifest, loading, and verification. */
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mapWithConcurrency } from '../core/concurrency';
import { SnapshotEntry, SnapshotManifest, decodeSnapshotManifest, encodeSnapshotManifest } from '../core/manifests';
import { nothingUnderPrefix } from '../core/plan';
import { compareSnapshot, manifestKeyFor, newSnapshotId, planSnapshot, snapshotRoot, sortEntries, vaultKeyFor, vaultObjectId, VaultObject } from '../core/snapshot';
import { ExecutionFailed, InvalidInput, Mismatch, NotFound } from '../shared/errors';
import { SnapshotRequest } from '../shared/schemas';
import { copyVersion, pickChecksum } from './copy';
import { isNoSuchBucket, listCurrentObjects, listVersionEntries, missingBucket } from './listing';
import { getText, putText } from './records';
import { withRetry } from './retry';

export interface SnapshotResult {
  readonly id: string;
  readonly manifest: string;
  readonly previous: string | null;
  readonly count: number;
  readonly bytes: number;
  readonly copied: number;
  readonly reused: number;
  readonly copiedBytes: number;
}

export interface SnapshotContext {
  readonly now?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Snapshot ids in the vault, newest first. */
export async function listSnapshotIds(s3: S3Client, vault: string, field = 'vault'): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(() => s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: 'snapshots/', Delimiter: '/', ContinuationToken: token }))).catch((err) => {
      throw isNoSuchBucket(err) ? missingBucket(vault, field) : err;
    });
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) ids.push(p.Prefix.slice('snapshots/'.length, -1));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return ids.sort().reverse();
}

export async function loadSnapshotManifest(s3: S3Client, vault: string, id: string, field = 'snapshotId'): Promise<SnapshotManifest> {
  let text: string;
  try {
    text = await getText(s3, { bucket: vault, key: manifestKeyFor(id) }, field);
  } catch (err) {
    if (err instanceof NotFound) throw new NotFound(field, 'the id of a completed snapshot in the vault', `snapshot ${id} has no manifest in vault ${vault} (unknown id, or the snapshot never completed)`);
    throw err;
  }
  return decodeSnapshotManifest(text, field);
}

/** How many recent snapshot ids to look through for one of the same bucket and prefix. */
const PREVIOUS_SEARCH_LIMIT = 50;

/** The newest completed snapshot of the same bucket and prefix: its copies may be reused. */
export async function findPreviousSnapshot(s3: S3Client, vault: string, bucket: string, prefix: string): Promise<SnapshotManifest | undefined> {
  for (const id of (await listSnapshotIds(s3, vault)).slice(0, PREVIOUS_SEARCH_LIMIT)) {
    try {
      const manifest = await loadSnapshotManifest(s3, vault, id);
      if (manifest.header.bucket === bucket && manifest.header.prefix === prefix) return manifest;
    } catch (err) {
      // An unfinished snapshot (no manifest) or a damaged one is simply not a base to build on.
      if (!(err instanceof NotFound) && !(err instanceof InvalidInput)) throw err;
    }
  }
  return undefined;
}

/**
 * Takes a snapshot of `bucket`/`prefix` into the vault. Objects unchanged since the previous
 * snapshot are not copied again; the manifest is written last, so a snapshot either completes with
 * a manifest or does not exist (its partial copies are never referenced).
 */
export async function createSnapshot(s3: S3Client, req: SnapshotRequest, ctx: SnapshotContext = {}): Promise<SnapshotResult> {
  const now = ctx.now ?? new Date();
  const id = newSnapshotId(now, randomBytes(3).toString('hex'));
  const previous = await findPreviousSnapshot(s3, req.vault, req.bucket, req.prefix);
  const current = await listCurrentObjects(s3, req.bucket, req.prefix);
  if (current.length === 0) throw nothingUnderPrefix(req.bucket, req.prefix);
  const { reuse, copy } = planSnapshot(current, previous, { now, reuseMaxAgeDays: req.reuseMaxAgeDays });
  const failures: { key: string; error: string }[] = [];
  let done = 0;
  const copiedEntries = await mapWithConcurrency(copy, req.concurrency, async (object) => {
    try {
      return await withRetry(async () => {
        const from = { bucket: req.bucket, key: object.key, versionId: object.versionId };
        // The HEAD gives the manifest the headers it records; the copy carries them to the vault.
        const head = await s3.send(new HeadObjectCommand({ Bucket: req.bucket, Key: object.key, VersionId: object.versionId, ChecksumMode: 'ENABLED' }));
        const vaultKey = vaultKeyFor(id, object.key);
        const copied = await copyVersion(s3, from, { bucket: req.vault, key: vaultKey }, object.size, object.etag, {
          storageClass: req.storageClass,
          checksumAlgorithm: 'SHA256',
          copyTags: false,
          multipartThresholdBytes: req.multipartThresholdBytes,
        });
        const entry: SnapshotEntry = {
          key: object.key,
          sourceVersionId: object.versionId,
          size: object.size,
          etag: object.etag,
          // The vault copy's own checksum: what verify-snapshot --deep compares with.
          checksum: copied.checksum,
          contentType: head.ContentType,
          cacheControl: head.CacheControl,
          contentEncoding: head.ContentEncoding,
          contentDisposition: head.ContentDisposition,
          contentLanguage: head.ContentLanguage,
          metadata: head.Metadata && Object.keys(head.Metadata).length ? head.Metadata : undefined,
          vault: { key: vaultKey, versionId: copied.versionId, etag: copied.etag, snapshotId: id, copiedAt: now.toISOString() },
        };
        return entry;
      });
    } catch (err) {
      failures.push({ key: object.key, error: `${(err as Error).name}: ${(err as Error).message}` });
      return undefined;
    } finally {
      ctx.onProgress?.(++done, copy.length);
    }
  });
  if (failures.length) throw new ExecutionFailed(failures);
  const entries = sortEntries([...reuse, ...(copiedEntries as SnapshotEntry[])]);
  const manifest: SnapshotManifest = {
    header: {
      format: 'sitedr-snapshot/1',
      id,
      bucket: req.bucket,
      prefix: req.prefix,
      vault: req.vault,
      createdAt: now.toISOString(),
      storageClass: req.storageClass,
      previous: reuse.length ? previous!.header.id : null,
      count: entries.length,
      bytes: entries.reduce((sum, e) => sum + e.size, 0),
      copied: copy.length,
      reused: reuse.length,
    },
    entries,
  };
  const manifestKey = manifestKeyFor(id);
  await putText(s3, { bucket: req.vault, key: manifestKey }, encodeSnapshotManifest(manifest), 'application/x-ndjson');
  return {
    id,
    manifest: `s3://${req.vault}/${manifestKey}`,
    previous: manifest.header.previous,
    count: entries.length,
    bytes: manifest.header.bytes,
    copied: copy.length,
    reused: reuse.length,
    copiedBytes: copy.reduce((sum, o) => sum + o.size, 0),
  };
}

export interface SnapshotVerification {
  readonly id: string;
  readonly checked: number;
  readonly mismatches: Mismatch[];
}

/**
 * Checks that every manifest entry's vault copy exists with the recorded size and ETag, by listing
 * the snapshot folders the manifest points into (no per-object calls). `deep` also compares the
 * stored checksums, one HEAD per object.
 */
export async function verifySnapshot(s3: S3Client, vault: string, id: string, opts: { deep?: boolean; concurrency?: number } = {}): Promise<SnapshotVerification> {
  const manifest = await loadSnapshotManifest(s3, vault, id);
  const vaultObjects = new Map<string, VaultObject>();
  const referenced = new Set(manifest.entries.map((e) => e.vault.snapshotId));
  for (const ref of referenced) {
    for await (const v of listVersionEntries(s3, vault, snapshotRoot(ref), 'vault')) {
      if (!v.isDeleteMarker) vaultObjects.set(vaultObjectId(v.key, v.versionId), { size: v.size, etag: v.etag });
    }
  }
  let checksums: Map<string, { algorithm: string; value: string } | undefined> | undefined;
  if (opts.deep) {
    checksums = new Map();
    const withChecksum = manifest.entries.filter((e) => e.checksum && vaultObjects.has(vaultObjectId(e.vault.key, e.vault.versionId)));
    await mapWithConcurrency(withChecksum, opts.concurrency ?? 16, async (e) => {
      const head = await withRetry(() => s3.send(new HeadObjectCommand({ Bucket: vault, Key: e.vault.key, VersionId: e.vault.versionId, ChecksumMode: 'ENABLED' })));
      checksums!.set(vaultObjectId(e.vault.key, e.vault.versionId), pickChecksum(head));
    });
  }
  return { id, checked: manifest.entries.length, mismatches: compareSnapshot(manifest.entries, vaultObjects, checksums) };
}
