/**
 * Restore planning: from the target's version histories and a description of the wanted content,
 * compute the operations that make the target match. Pure and streaming: histories arrive one key
 * at a time and only changed keys are kept.
 *
 * Operations only ever add: a copy adds a version, a hide adds a delete marker, an unhide removes
 * delete markers (never an object version). So every plan is undoable.
 */
import { InvalidInput, NotFound } from '../shared/errors';
import type { RestoreSource } from '../shared/schemas';
import { KeyHistory, VersionEntry, currentVersion, firstWrite, sameContent, versionAt } from './versions';

/** A specific object version anywhere (the target itself, the replica, the vault). */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

/** What a key showed before the restore: its current version, or null when it was absent. */
export type PriorState = { readonly versionId: string; readonly size: number; readonly etag: string } | null;

/** Copy a version (or vault/replica object) onto the key, adding a new current version. */
export interface CopyOp {
  readonly kind: 'copy';
  readonly key: string;
  readonly from: ObjectRef;
  readonly size: number;
  /** ETag of the intended content: what verification compares the result with. */
  readonly etag: string;
  readonly before: PriorState;
}

/** Hide the key with a delete marker (its versions all stay). */
export interface HideOp {
  readonly kind: 'hide';
  readonly key: string;
  readonly before: Exclude<PriorState, null>;
}

/** Remove the delete markers on top of the key so the version under them shows again. */
export interface UnhideOp {
  readonly kind: 'unhide';
  readonly key: string;
  readonly deleteMarkerIds: readonly string[];
  /** The version that becomes current. */
  readonly restores: string;
  readonly size: number;
  readonly etag: string;
  readonly before: null;
}

export type PlanOp = CopyOp | HideOp | UnhideOp;

export interface PlanSummary {
  readonly copy: number;
  readonly hide: number;
  readonly unhide: number;
  readonly unchanged: number;
  /** Bytes the copies will move. */
  readonly copyBytes: number;
  /** Bytes of keys already in the wanted state (not moved). */
  readonly unchangedBytes: number;
}

/** A stored plan: what to change in which bucket, from which source, and when it was computed. */
export interface Plan {
  readonly format: 'sitedr-plan/1';
  readonly id: string;
  readonly createdAt: string;
  readonly target: { readonly bucket: string; readonly prefix: string };
  readonly source: RestoreSource;
  readonly summary: PlanSummary;
  readonly ops: readonly PlanOp[];
}

/** The part of a plan the planners compute; the caller adds identity and provenance. */
export interface PlanBody {
  readonly ops: PlanOp[];
  readonly summary: PlanSummary;
}

/** What one key should be after the restore. */
export type Desired =
  | { readonly kind: 'absent' }
  /** Content held elsewhere (vault, replica), identified by size and ETag. */
  | { readonly kind: 'object'; readonly from: ObjectRef; readonly size: number; readonly etag: string }
  /** A version of this very key in the target bucket. */
  | { readonly kind: 'version'; readonly versionId: string };

type Histories = AsyncIterable<KeyHistory> | Iterable<KeyHistory>;

/** Options every planner takes. */
export interface StreamingOptions {
  /**
   * Receives each operation as it is planned, instead of the plan keeping them: for plans of
   * millions of changed keys, written out as JSON Lines while the listing streams in. The returned
   * body then has the summary and no operations.
   */
  readonly onOp?: (op: PlanOp) => void;
}

class PlanAccumulator {
  readonly ops: PlanOp[] = [];
  private readonly counts = { copy: 0, hide: 0, unhide: 0, unchanged: 0, copyBytes: 0, unchangedBytes: 0 };

  constructor(private readonly onOp?: (op: PlanOp) => void) {}

  add(op: PlanOp | undefined, unchangedSize: number): void {
    if (!op) {
      this.counts.unchanged++;
      this.counts.unchangedBytes += unchangedSize;
      return;
    }
    if (this.onOp) this.onOp(op);
    else this.ops.push(op);
    this.counts[op.kind]++;
    if (op.kind === 'copy') this.counts.copyBytes += op.size;
  }

  body(): PlanBody {
    return { ops: this.ops, summary: { ...this.counts } };
  }
}

function prior(v: VersionEntry | undefined): PriorState {
  return v ? { versionId: v.versionId, size: v.size, etag: v.etag } : null;
}

/**
 * The single decision every planner shares: given a key's history in the target and what it should
 * show, the operation that gets there, or undefined when it already does.
 *
 * A key that should come back is copied, never un-hidden, even when the right version sits right
 * under a delete marker: removing a marker would rewrite the key's past (a later point-in-time
 * restore to a moment when it was deleted would see it present). Copies and new delete markers
 * only append, so every earlier point in time stays restorable. Removing markers is reserved for
 * the explicit undelete source.
 */
export function reconcileKey(
  targetBucket: string,
  key: string,
  history: KeyHistory | undefined,
  desired: Desired,
  field = 'source',
): PlanOp | undefined {
  const current = currentVersion(history);
  if (desired.kind === 'absent') {
    return current ? { kind: 'hide', key, before: prior(current)! } : undefined;
  }
  const want = resolveDesired(targetBucket, key, history, desired, field);
  if (current && (current.versionId === want.versionId || sameContent(current, want))) return undefined;
  return { kind: 'copy', key, from: want.from, size: want.size, etag: want.etag, before: prior(current) };
}

function resolveDesired(
  targetBucket: string,
  key: string,
  history: KeyHistory | undefined,
  desired: Exclude<Desired, { kind: 'absent' }>,
  field: string,
): { from: ObjectRef; size: number; etag: string; versionId?: string } {
  if (desired.kind === 'object') return desired;
  const version = history?.versions.find((v) => v.versionId === desired.versionId);
  if (!version) {
    throw new NotFound(field, `an existing version of ${JSON.stringify(key)}`, `version ${desired.versionId} of key ${JSON.stringify(key)} does not exist in ${targetBucket}`);
  }
  if (version.isDeleteMarker) {
    throw new InvalidInput(field, 'an object version, not a delete marker', `version ${desired.versionId} of key ${JSON.stringify(key)} is a delete marker, not content`);
  }
  return {
    from: { bucket: targetBucket, key, versionId: version.versionId },
    size: version.size,
    etag: version.etag,
    versionId: version.versionId,
  };
}

export interface PointInTimeOptions extends StreamingOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly at: Date;
  readonly now: Date;
  /** Allow a time before the first version under the prefix (the plan then hides every key). */
  readonly allowEmpty?: boolean;
}

/**
 * Point-in-time restore: every key shows what it showed at `at`. Keys created later are hidden,
 * keys deleted later come back, keys changed later get their old content back.
 */
export async function planPointInTime(histories: Histories, opts: PointInTimeOptions): Promise<PlanBody> {
  if (opts.at.getTime() > opts.now.getTime()) {
    throw new InvalidInput('source.at', `a time not after now (${opts.now.toISOString()})`, `${opts.at.toISOString()} is in the future`);
  }
  const acc = new PlanAccumulator(opts.onOp);
  let keys = 0;
  let earliest: Date | undefined;
  for await (const history of histories) {
    keys++;
    const first = firstWrite(history);
    if (!earliest || first < earliest) earliest = first;
    const target = versionAt(history, opts.at);
    const desired: Desired = target ? { kind: 'version', versionId: target.versionId } : { kind: 'absent' };
    const op = reconcileKey(opts.bucket, history.key, history, desired, 'source.at');
    acc.add(op, op ? 0 : (currentVersion(history)?.size ?? 0));
  }
  if (keys === 0) throw nothingUnderPrefix(opts.bucket, opts.prefix);
  if (!opts.allowEmpty && earliest && opts.at < earliest) {
    throw new InvalidInput(
      'source.at',
      `a time at or after the first version (${earliest.toISOString()}), or allowEmpty to hide everything`,
      `${opts.at.toISOString()} is before the first version under ${describeScope(opts.bucket, opts.prefix)} (${earliest.toISOString()}): restoring to it would hide every key`,
    );
  }
  return acc.body();
}

export interface DesiredStateOptions extends StreamingOptions {
  readonly bucket: string;
  readonly prefix: string;
  /** Hide keys of the target that the desired state does not mention (a full-site source). */
  readonly hideUnlisted: boolean;
  /** Input field blamed when a named version does not exist. */
  readonly field: string;
}

/**
 * Restore to an explicit desired state per key (snapshot, replica, release manifest, one key's
 * version, an undo manifest). Consumes `desired` (entries are deleted as they are matched).
 */
export async function planDesiredState(histories: Histories, desired: Map<string, Desired>, opts: DesiredStateOptions): Promise<PlanBody> {
  const acc = new PlanAccumulator(opts.onOp);
  for await (const history of histories) {
    const want = desired.get(history.key);
    desired.delete(history.key);
    if (!want && !opts.hideUnlisted) continue;
    const op = reconcileKey(opts.bucket, history.key, history, want ?? { kind: 'absent' }, opts.field);
    acc.add(op, op ? 0 : (currentVersion(history)?.size ?? 0));
  }
  // Keys the target has never held: copied in, or already absent as wanted.
  for (const [key, want] of desired) {
    acc.add(reconcileKey(opts.bucket, key, undefined, want, opts.field), 0);
  }
  return acc.body();
}

/** Undelete: remove the delete markers laid at or after `since`, so those keys show their last content. */
export async function planUndelete(histories: Histories, opts: { bucket: string; prefix: string; since: Date; now: Date } & StreamingOptions): Promise<PlanBody> {
  if (opts.since.getTime() > opts.now.getTime()) {
    throw new InvalidInput('source.since', `a time not after now (${opts.now.toISOString()})`, `${opts.since.toISOString()} is in the future`);
  }
  const acc = new PlanAccumulator(opts.onOp);
  let keys = 0;
  for await (const history of histories) {
    keys++;
    const recent: VersionEntry[] = [];
    let under: VersionEntry | undefined;
    for (const v of history.versions) {
      if (v.isDeleteMarker && v.lastModified >= opts.since) recent.push(v);
      else {
        under = v;
        break;
      }
    }
    // Only worth doing when a real version shows once the recent markers are gone.
    const op: PlanOp | undefined =
      recent.length > 0 && under && !under.isDeleteMarker
        ? { kind: 'unhide', key: history.key, deleteMarkerIds: recent.map((m) => m.versionId), restores: under.versionId, size: under.size, etag: under.etag, before: null }
        : undefined;
    acc.add(op, op ? 0 : (currentVersion(history)?.size ?? 0));
  }
  if (keys === 0) throw nothingUnderPrefix(opts.bucket, opts.prefix);
  return acc.body();
}

export function nothingUnderPrefix(bucket: string, prefix: string): InvalidInput {
  return prefix
    ? new InvalidInput('prefix', 'a prefix that matches at least one key', `no key in ${bucket} starts with ${JSON.stringify(prefix)}`)
    : new InvalidInput('bucket', 'a bucket with at least one object version', `bucket ${bucket} holds no object versions`);
}

function describeScope(bucket: string, prefix: string): string {
  return prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`;
}

/** Puts a plan body together with its identity. */
export function makePlan(body: PlanBody, meta: { id: string; createdAt: Date; bucket: string; prefix: string; source: RestoreSource }): Plan {
  return {
    format: 'sitedr-plan/1',
    id: meta.id,
    createdAt: meta.createdAt.toISOString(),
    target: { bucket: meta.bucket, prefix: meta.prefix },
    source: meta.source,
    summary: body.summary,
    ops: body.ops,
  };
}
