/**
 * The version history the restore benchmarks run on: N keys with exactly five listing entries each,
 * a chosen share of which changed after the restore time T.
 *
 * A changed key changed in one of three ways, so a restore has to do each kind of operation:
 * - overwritten: four versions before T, the fifth after T  -> copy the version current at T;
 * - deleted:     four versions before T, a delete marker after T -> bring the key back;
 * - created:     all five versions after T (the key did not exist at T) -> hide it.
 * An unchanged key has all five versions before T. Every key therefore has five listing entries
 * (versions + delete markers), and the listing is N x 5 entries whatever the changed share.
 */
import { createHash } from 'node:crypto';

export type KeyKind = 'unchanged' | 'overwritten' | 'deleted' | 'created';

/** One write in the history: a PUT of `body`, or a delete marker when body is undefined. */
export interface Write {
  readonly key: string;
  readonly body?: string;
}

export interface HistoryPlan {
  readonly keys: readonly { readonly key: string; readonly kind: KeyKind }[];
  /** Writes before T, grouped per key in write order (each key's writes must stay sequential). */
  readonly before: readonly (readonly Write[])[];
  /** Writes after T, grouped the same way. */
  readonly after: readonly (readonly Write[])[];
  /** What each key shows at T: the ETag S3 gives its content, or null when absent. */
  readonly atT: ReadonlyMap<string, string | null>;
}

export const ENTRIES_PER_KEY = 5;

/**
 * Builds the history for `keyCount` keys with `changedShare` (0..1] of them changed after T.
 * Changed keys are spread evenly through the key space (every 1/share-th key), as a bad deploy or a
 * partial sync would touch pages all over a site rather than one contiguous block.
 */
export function planHistory(keyCount: number, changedShare: number): HistoryPlan {
  if (!(changedShare > 0 && changedShare <= 1)) throw new Error(`changedShare must be in (0, 1], got ${changedShare}`);
  const keys: { key: string; kind: KeyKind }[] = [];
  const before: Write[][] = [];
  const after: Write[][] = [];
  const atT = new Map<string, string | null>();

  for (let i = 0; i < keyCount; i++) {
    const key = benchKey(i);
    const kind = keyKind(i, changedShare);
    const body = (n: number) => `<html><body>${key} version ${n}</body></html>\n`;
    const versions = [1, 2, 3, 4, 5].map((n) => ({ key, body: body(n) }));
    keys.push({ key, kind });
    switch (kind) {
      case 'unchanged':
        before.push(versions);
        atT.set(key, etagOf(body(5)));
        break;
      case 'overwritten':
        before.push(versions.slice(0, 4));
        after.push(versions.slice(4));
        atT.set(key, etagOf(body(4)));
        break;
      case 'deleted':
        before.push(versions.slice(0, 4));
        after.push([{ key }]);
        atT.set(key, etagOf(body(4)));
        break;
      case 'created':
        after.push(versions);
        atT.set(key, null);
        break;
    }
  }
  return { keys, before, after, atT };
}

/** Key number i; keys sort like their numbers (100 pages per section), so a listing comes out in order. */
export function benchKey(i: number): string {
  return `site/section-${String(Math.floor(i / 100)).padStart(5, '0')}/page-${String(i).padStart(7, '0')}.html`;
}

/**
 * How key number i changed after T. Every (1/share)-th key changed; among the changed ones eight in
 * ten are overwritten, one is deleted and one is new: the usual shape of a bad deploy.
 */
export function keyKind(i: number, changedShare: number): KeyKind {
  const stride = Math.round(1 / changedShare);
  if (i % stride !== 0) return 'unchanged';
  const r = (i / stride) % 10;
  return r === 8 ? 'deleted' : r === 9 ? 'created' : 'overwritten';
}

/** The ETag S3 gives a single-part object: the MD5 of its bytes, in quotes. */
export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}
