/** Verification: compare what the target shows after execution with what the plan intended. */
import type { Mismatch } from '../shared/errors';
import type { PlanOp } from './plan';
import { VersionEntry, isMultipartEtag, sameContent } from './versions';

/** What a key must show once its operation has been applied. */
export type IntendedState = { readonly present: false } | { readonly present: true; readonly size: number; readonly etag: string; readonly versionId?: string };

export function intendedState(op: PlanOp): IntendedState {
  switch (op.kind) {
    case 'copy':
      return { present: true, size: op.size, etag: op.etag };
    case 'unhide':
      return { present: true, size: op.size, etag: op.etag, versionId: op.restores };
    case 'hide':
      return { present: false };
  }
}

/** Whether the key's current version (undefined when absent) is the intended state. */
export function isInIntendedState(intended: IntendedState, current: VersionEntry | undefined): boolean {
  if (!intended.present) return current === undefined;
  if (!current) return false;
  if (intended.versionId !== undefined) return current.versionId === intended.versionId;
  return sameContent(current, intended);
}

/**
 * A multipart copy gets a new ETag (`…-N`), so size + ETag cannot prove it holds the intended
 * content; such keys need their copy marker read (see aws/copy.ts) before calling them wrong.
 */
export function needsCopyMarkerCheck(intended: IntendedState, current: { readonly size: number; readonly etag: string } | null | undefined): boolean {
  return intended.present && !!current && current.size === intended.size && isMultipartEtag(current.etag) && current.etag !== intended.etag;
}

function describe(state: IntendedState | VersionEntry | undefined): string {
  if (!state) return 'absent';
  if ('present' in state) {
    if (!state.present) return 'absent';
    return state.versionId ? `version ${state.versionId}` : `${state.size} bytes with ETag ${state.etag}`;
  }
  return `version ${state.versionId} (${state.size} bytes, ETag ${state.etag})`;
}

/**
 * Compares every planned key's current version with its intended state. `confirmed` lists keys
 * whose multipart copy marker was already checked and found right.
 */
export function compareWithPlan(ops: readonly PlanOp[], current: ReadonlyMap<string, VersionEntry | undefined>, confirmed: ReadonlySet<string> = new Set()): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const op of ops) {
    const intended = intendedState(op);
    const now = current.get(op.key);
    if (isInIntendedState(intended, now) || confirmed.has(op.key)) continue;
    mismatches.push({ key: op.key, expected: describe(intended), actual: describe(now) });
  }
  return mismatches;
}
