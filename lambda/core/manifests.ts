/**
 * Document formats the engine writes and reads: snapshot manifests, undo manifests, release
 * manifests and stored plans. Each has a zod schema so a damaged or hand-edited document is
 * rejected with the line and field at fault.
 */
import { z } from 'zod';
import { InvalidInput } from '../shared/errors';
import { restoreSource } from '../shared/schemas';
import { decodeJsonLines, encodeJsonLines } from './jsonl';
import type { Plan, PlanOp, PriorState } from './plan';

const versionId = z.string().min(1);
const etag = z.string();
const size = z.number().int().min(0);

// ---------------------------------------------------------------------------------------------
// Snapshot manifest: one entry per object, pointing at the vault copy that holds its content.

export const snapshotEntrySchema = z.object({
  key: z.string().min(1),
  sourceVersionId: versionId,
  size,
  /** ETag of the source version: the content identity restores compare with. */
  etag,
  checksum: z.object({ algorithm: z.string(), value: z.string() }).optional(),
  contentType: z.string().optional(),
  cacheControl: z.string().optional(),
  contentEncoding: z.string().optional(),
  contentDisposition: z.string().optional(),
  contentLanguage: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  vault: z.object({
    key: z.string().min(1),
    versionId,
    etag,
    /** The snapshot that made this copy (an earlier one when the object was unchanged). */
    snapshotId: z.string(),
    /** When the copy was made: decides whether later snapshots may still reuse it. */
    copiedAt: z.iso.datetime({ offset: true }),
  }),
});
export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

export const snapshotHeaderSchema = z.object({
  format: z.literal('sitedr-snapshot/1'),
  id: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  vault: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  storageClass: z.string(),
  /** The snapshot whose copies were reused, if any. */
  previous: z.string().nullable(),
  count: z.number().int(),
  bytes: z.number().int(),
  copied: z.number().int(),
  reused: z.number().int(),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export interface SnapshotManifest {
  readonly header: SnapshotHeader;
  readonly entries: readonly SnapshotEntry[];
}

export function encodeSnapshotManifest(m: SnapshotManifest): string {
  return encodeJsonLines(m.header, m.entries);
}

export function decodeSnapshotManifest(text: string, field = 'snapshotId'): SnapshotManifest {
  const { header, records } = decodeJsonLines(text, { header: snapshotHeaderSchema, record: snapshotEntrySchema }, field);
  if (records.length !== header.count) {
    throw new InvalidInput(field, `${header.count} entries as the header says`, `the manifest holds ${records.length} entries but its header says ${header.count} (truncated?)`);
  }
  return { header, entries: records };
}

// ---------------------------------------------------------------------------------------------
// Undo manifest: what every key a restore touches showed before it, written before any change.

const priorState = z.object({ versionId, size, etag }).nullable();

export const undoHeaderSchema = z.object({
  format: z.literal('sitedr-undo/1'),
  runId: z.string(),
  planId: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  count: z.number().int(),
});
export type UndoHeader = z.infer<typeof undoHeaderSchema>;
export const undoEntrySchema = z.object({ key: z.string().min(1), before: priorState });
export interface UndoEntry {
  readonly key: string;
  readonly before: PriorState;
}
export interface UndoManifest {
  readonly header: UndoHeader;
  readonly entries: readonly UndoEntry[];
}

/** The undo manifest of a plan: each planned key with the state it had before. */
export function undoManifestFor(plan: Plan, runId: string, createdAt: Date): UndoManifest {
  return {
    header: {
      format: 'sitedr-undo/1',
      runId,
      planId: plan.id,
      bucket: plan.target.bucket,
      prefix: plan.target.prefix,
      createdAt: createdAt.toISOString(),
      count: plan.ops.length,
    },
    entries: plan.ops.map((op) => ({ key: op.key, before: op.before })),
  };
}

export function encodeUndoManifest(m: UndoManifest): string {
  return encodeJsonLines(m.header, m.entries);
}

export function decodeUndoManifest(text: string, field = 'source.manifest'): UndoManifest {
  const { header, records } = decodeJsonLines(text, { header: undoHeaderSchema, record: undoEntrySchema }, field);
  if (records.length !== header.count) {
    throw new InvalidInput(field, `${header.count} entries as the header says`, `the undo manifest holds ${records.length} entries but its header says ${header.count}`);
  }
  return { header, entries: records };
}

// ---------------------------------------------------------------------------------------------
// Release manifest: a deployed release as key -> version id (written by the deploy pipeline).

export const releaseManifestSchema = z.object({
  format: z.literal('sitedr-release/1'),
  /** Free text, e.g. the commit or tag that was deployed. */
  release: z.string().optional(),
  files: z.record(z.string().min(1), versionId).refine((files) => Object.keys(files).length > 0, 'at least one file'),
});
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;

export function decodeReleaseManifest(text: string, field = 'source.manifest'): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInput(field, 'a JSON release manifest {"format":"sitedr-release/1","files":{key: versionId}}', 'the release manifest is not JSON');
  }
  const result = releaseManifestSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidInput(field, `a release manifest {"format":"sitedr-release/1","files":{key: versionId}}`, `release manifest at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Stored plans: header (everything but the operations) then one operation per line.

const objectRef = z.object({ bucket: z.string(), key: z.string(), versionId });
export const planOpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('copy'), key: z.string(), from: objectRef, size, etag, before: priorState }),
  z.object({ kind: z.literal('hide'), key: z.string(), before: z.object({ versionId, size, etag }) }),
  z.object({ kind: z.literal('unhide'), key: z.string(), deleteMarkerIds: z.array(versionId).min(1), restores: versionId, size, etag, before: z.null() }),
]);
const planSummarySchema = z.object({
  copy: z.number().int(),
  hide: z.number().int(),
  unhide: z.number().int(),
  unchanged: z.number().int(),
  copyBytes: z.number().int(),
  unchangedBytes: z.number().int(),
});
export const planHeaderSchema = z.object({
  format: z.literal('sitedr-plan/1'),
  id: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  target: z.object({ bucket: z.string(), prefix: z.string() }),
  source: restoreSource,
  summary: planSummarySchema,
});

export function encodePlan(plan: Plan): string {
  const { ops, ...header } = plan;
  return encodeJsonLines(header, ops);
}

export function decodePlan(text: string, field = 'plan'): Plan {
  const { header, records } = decodeJsonLines(text, { header: planHeaderSchema, record: planOpSchema }, field);
  const planned = header.summary.copy + header.summary.hide + header.summary.unhide;
  if (records.length !== planned) {
    throw new InvalidInput(field, `${planned} operations as the summary says`, `the plan holds ${records.length} operations but its summary says ${planned}`);
  }
  return { ...header, ops: records as PlanOp[] };
}
