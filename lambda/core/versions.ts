/**
 * Version histories: what ListObjectVersions says about each key, and the state of a key at a
 * point in time. Pure: the SDK adapters feed these functions plain entries.
 */

/** One entry of a ListObjectVersions listing: an object version or a delete marker. */
export interface VersionEntry {
  readonly key: string;
  /** 'null' for objects written before versioning was enabled (S3's own spelling). */
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly lastModified: Date;
  /** 0 for delete markers. */
  readonly size: number;
  /** '' for delete markers; otherwise the ETag with its quotes, as S3 returns it. */
  readonly etag: string;
  readonly storageClass?: string;
}

/** Every version of one key, newest first (the order S3 lists them in). */
export interface KeyHistory {
  readonly key: string;
  readonly versions: readonly VersionEntry[];
}

/**
 * Orders the versions of one listing page the way S3 lists them: by key in UTF-8 byte order, then
 * newest first. The SDK hands versions and delete markers back as two separate arrays, losing their
 * interleaving, so it is rebuilt here; among equal timestamps the latest version comes first.
 */
export function compareListingOrder(a: VersionEntry, b: VersionEntry): number {
  const byKey = compareKeys(a.key, b.key);
  if (byKey !== 0) return byKey;
  if (a.isLatest !== b.isLatest) return a.isLatest ? -1 : 1;
  return b.lastModified.getTime() - a.lastModified.getTime();
}

/** S3's key order: UTF-8 bytes, which differs from JavaScript's UTF-16 order for some characters. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Groups a stream of listing entries into one history per key without holding more than one key's
 * versions at a time: S3 lists all versions of a key together, so a key is complete when the next
 * key starts (even across page boundaries).
 */
export async function* groupByKey(entries: AsyncIterable<VersionEntry> | Iterable<VersionEntry>): AsyncGenerator<KeyHistory> {
  if (Symbol.iterator in entries) {
    // An in-memory listing: group synchronously (an async generator per entry costs ~40 % more).
    yield* groupByKeySync(entries);
    return;
  }
  const grouper = new KeyGrouper();
  for await (const entry of entries) {
    const done = grouper.add(entry);
    if (done) yield done;
  }
  const last = grouper.finish();
  if (last) yield last;
}

/** groupByKey for an in-memory listing. */
export function* groupByKeySync(entries: Iterable<VersionEntry>): Generator<KeyHistory> {
  const grouper = new KeyGrouper();
  for (const entry of entries) {
    const done = grouper.add(entry);
    if (done) yield done;
  }
  const last = grouper.finish();
  if (last) yield last;
}

/** The grouping itself, shared by the async and the in-memory variant: one key's versions at a time. */
class KeyGrouper {
  private key: string | undefined;
  private versions: VersionEntry[] = [];

  /** Adds an entry; returns the previous key's history when this entry starts a new key. */
  add(entry: VersionEntry): KeyHistory | undefined {
    let done: KeyHistory | undefined;
    if (entry.key !== this.key) {
      done = this.finish();
      this.key = entry.key;
      this.versions = [];
    }
    this.versions.push(entry);
    return done;
  }

  /** The history of the key in progress, if any. */
  finish(): KeyHistory | undefined {
    return this.key === undefined ? undefined : { key: this.key, versions: this.versions };
  }
}

/** The version a key shows now: its newest entry unless that is a delete marker. */
export function currentVersion(history: KeyHistory | undefined): VersionEntry | undefined {
  const newest = history?.versions[0];
  return newest && !newest.isDeleteMarker ? newest : undefined;
}

/**
 * The version a key showed at time `at` (inclusive), or undefined when it did not exist or was
 * deleted then. Relies on newest-first order: the first entry not newer than `at` is the one.
 */
export function versionAt(history: KeyHistory, at: Date): VersionEntry | undefined {
  const t = at.getTime();
  const entry = history.versions.find((v) => v.lastModified.getTime() <= t);
  return entry && !entry.isDeleteMarker ? entry : undefined;
}

/** The oldest LastModified in a history (the key's first write). */
export function firstWrite(history: KeyHistory): Date {
  let oldest = history.versions[0].lastModified;
  for (const v of history.versions) if (v.lastModified < oldest) oldest = v.lastModified;
  return oldest;
}

/** True when two versions hold the same bytes, judged by size and ETag (an MD5 for single-part objects). */
export function sameContent(a: { size: number; etag: string }, b: { size: number; etag: string }): boolean {
  return a.size === b.size && a.etag === b.etag && a.etag !== '';
}

/** Multipart ETags end in `-<parts>`: they are not an MD5 of the content, so they never equal a single-part ETag. */
export function isMultipartEtag(etag: string): boolean {
  return /-\d+"?$/.test(etag);
}
