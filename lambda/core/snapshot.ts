/**
 * Snapshot planning: which objects a new snapshot must copy into the vault and which it can take
 * from the previous snapshot, plus the vault layout and snapshot verification. Pure.
 */
import { createHash } from 'node:crypto';
import type { Mismatch } from '../shared/errors';
import type { SnapshotEntry, SnapshotManifest } from './manifests';
import { compareKeys } from './versions';

/** The current version of one source key, as listed. */
export interface SourceObject {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly etag: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_BYTES = 1024;

/**
 * `20261201T100000123Z-a1b2c3` (to the millisecond): ids sort by creation time, which is how the
 * previous snapshot is found.
 */
export function newSnapshotId(now: Date, randomSuffix: string): string {
  return `${timeStamp(now)}-${randomSuffix}`;
}

/** A compact UTC timestamp to the millisecond that sorts as text: 20261201T100000123Z. */
export function timeStamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

export function snapshotRoot(id: string): string {
  return `snapshots/${id}/`;
}

export function manifestKeyFor(id: string): string {
  return `${snapshotRoot(id)}manifest.jsonl`;
}

/**
 * Where a snapshot keeps its copy of `key`: the readable `snapshots/<id>/files/<key>`, unless that
 * would pass S3's 1,024-byte key limit (a 1,024-byte site key), then a hash of the key. The
 * manifest maps either way.
 */
export function vaultKeyFor(id: string, key: string): string {
  const readable = `${snapshotRoot(id)}files/${key}`;
  if (Buffer.byteLength(readable, 'utf8') <= MAX_KEY_BYTES) return readable;
  return `${snapshotRoot(id)}files-by-hash/${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export interface SnapshotPlan {
  /** Entries carried over from the previous snapshot: their vault copy is reused, nothing moves. */
  readonly reuse: SnapshotEntry[];
  /** Source objects that must be copied into the vault. */
  readonly copy: SourceObject[];
}

/**
 * Incremental snapshots. An object whose source version is the one the previous snapshot holds is
 * not copied again: the new manifest points at the earlier vault copy. That copy must outlive the
 * new snapshot, so it is reused only while younger than `reuseMaxAgeDays`; the vault keeps copies
 * for at least the snapshot retention plus that many days (Object Lock and lifecycle, see docs).
 */
export function planSnapshot(current: readonly SourceObject[], previous: SnapshotManifest | undefined, opts: { now: Date; reuseMaxAgeDays: number }): SnapshotPlan {
  const earlier = new Map<string, SnapshotEntry>();
  for (const entry of previous?.entries ?? []) earlier.set(entry.key, entry);
  const reuse: SnapshotEntry[] = [];
  const copy: SourceObject[] = [];
  for (const object of current) {
    const entry = earlier.get(object.key);
    const age = entry ? opts.now.getTime() - Date.parse(entry.vault.copiedAt) : Infinity;
    // Same version id and same bytes: an unversioned bucket calls every version 'null'.
    const unchanged = entry && entry.sourceVersionId === object.versionId && entry.etag === object.etag && entry.size === object.size;
    if (entry && unchanged && age <= opts.reuseMaxAgeDays * DAY_MS) reuse.push(entry);
    else copy.push(object);
  }
  return { reuse, copy };
}

/** Entries in S3 key order, so manifests are stable and diffable. */
export function sortEntries(entries: SnapshotEntry[]): SnapshotEntry[] {
  return entries.sort((a, b) => compareKeys(a.key, b.key));
}

/** A vault object as listed: identified by key and version id. */
export interface VaultObject {
  readonly size: number;
  readonly etag: string;
}

export function vaultObjectId(key: string, versionId: string): string {
  return `${versionId}\u0000${key}`;
}

/**
 * Snapshot verification: every manifest entry's vault copy exists with the recorded size and ETag
 * (and checksum, when `checksums` holds the stored ones).
 */
export function compareSnapshot(
  entries: readonly SnapshotEntry[],
  vault: ReadonlyMap<string, VaultObject>,
  checksums?: ReadonlyMap<string, { algorithm: string; value: string } | undefined>,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const entry of entries) {
    const id = vaultObjectId(entry.vault.key, entry.vault.versionId);
    const found = vault.get(id);
    if (!found) {
      mismatches.push({ key: entry.key, expected: `vault copy ${entry.vault.key} version ${entry.vault.versionId}`, actual: 'missing' });
      continue;
    }
    if (found.size !== entry.size || found.etag !== entry.vault.etag) {
      mismatches.push({ key: entry.key, expected: `${entry.size} bytes with ETag ${entry.vault.etag}`, actual: `${found.size} bytes with ETag ${found.etag}` });
      continue;
    }
    if (checksums && entry.checksum) {
      const stored = checksums.get(id);
      if (!stored || stored.algorithm !== entry.checksum.algorithm || stored.value !== entry.checksum.value) {
        mismatches.push({
          key: entry.key,
          expected: `${entry.checksum.algorithm} ${entry.checksum.value}`,
          actual: stored ? `${stored.algorithm} ${stored.value}` : 'no stored checksum',
        });
      }
    }
  }
  return mismatches;
}
