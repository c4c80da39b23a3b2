/**
 * Input schemas shared by the operator CLI and the Step Functions handlers, so both reject the
 * same inputs with the same named error before anything is touched.
 */
import { z } from 'zod';
import { InvalidInput } from './errors';

/** S3 bucket naming rules (general purpose buckets). */
const BUCKET_NAME = 'a bucket name: 3-63 lowercase letters, digits, dots or hyphens';
export const bucketName = z.string({ message: BUCKET_NAME }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, BUCKET_NAME);

/** A key prefix; '' means the whole bucket. */
export const keyPrefix = z.string().max(1024, 'at most 1,024 bytes').default('');

/**
 * An instant in ISO-8601 with an explicit zone (Z or +hh:mm). A time without a zone is ambiguous
 * (whose local time?), so it is rejected rather than guessed.
 */
export const isoInstant = z
  .iso.datetime({ offset: true, local: false, message: 'an ISO-8601 time with a zone, e.g. 2026-12-01T10:00:00Z' })
  .refine((s) => !Number.isNaN(Date.parse(s)), 'a real calendar time, e.g. 2026-12-01T10:00:00Z');

/** Parallel S3 operations; bounded so a typo cannot open thousands of sockets or trip S3 throttling. */
export const MAX_CONCURRENCY = 512;
export const DEFAULT_CONCURRENCY = 64;
export const concurrency = z
  .number({ message: `an integer from 1 to ${MAX_CONCURRENCY}` })
  .int(`an integer from 1 to ${MAX_CONCURRENCY}`)
  .min(1, `an integer from 1 to ${MAX_CONCURRENCY}`)
  .max(MAX_CONCURRENCY, `an integer from 1 to ${MAX_CONCURRENCY}`)
  .default(DEFAULT_CONCURRENCY);

/** `s3://bucket/key` (a key is required). */
export const s3ObjectUrl = z
  .string()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'an s3://bucket/key URL');

/** `s3://bucket` or `s3://bucket/prefix`. */
export const s3PrefixUrl = z
  .string()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an s3://bucket or s3://bucket/prefix URL');

/** Snapshot ids sort by creation time (used to find the previous snapshot for incremental copies). */
export const snapshotId = z.string().regex(/^\d{8}T\d{9}Z-[0-9a-z]{6}$/, 'a snapshot id like 20261201T100000123Z-a1b2c3');

export const storageClass = z
  .enum(['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'])
  .default('GLACIER_IR');

/** Where a restore's content comes from. */
export const restoreSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pointInTime'),
    at: isoInstant,
    /** Restoring to before the bucket's first version hides every key; only with this set. */
    allowEmpty: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('snapshot'), vault: bucketName, snapshotId }),
  z.object({ kind: z.literal('replica'), bucket: bucketName }),
  z.object({ kind: z.literal('release'), manifest: s3ObjectUrl }),
  z.object({ kind: z.literal('keyVersion'), key: z.string().min(1, 'a non-empty key').max(1024), versionId: z.string().min(1, 'a version id') }),
  z.object({ kind: z.literal('undelete'), since: isoInstant }),
  z.object({ kind: z.literal('undo'), manifest: s3ObjectUrl }),
]);
export type RestoreSource = z.infer<typeof restoreSource>;

export const restoreRequest = z.object({
  bucket: bucketName,
  prefix: keyPrefix,
  source: restoreSource,
  concurrency,
  dryRun: z.boolean().default(false),
  /** Copy object tags with the content (S3 copies leave them out unless asked). */
  copyTags: z.boolean().default(false),
  /** Where plans, undo manifests and results are kept: s3://bucket/prefix. Required unless dryRun. */
  record: s3PrefixUrl.optional(),
  /** Objects larger than this are copied with multipart UploadPartCopy. */
  multipartThresholdBytes: z.number().int().min(5 * 1024 * 1024, 'at least 5 MiB (the S3 minimum part size)').optional(),
});
export type RestoreRequest = z.infer<typeof restoreRequest>;

/**
 * How old an earlier snapshot's copy may be and still be reused. The vault stack keeps snapshot
 * objects this many days longer than the snapshot retention, so a reused copy outlives every
 * snapshot that points at it.
 */
export const DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS = 7;

export const snapshotRequest = z.object({
  bucket: bucketName,
  vault: bucketName,
  prefix: keyPrefix,
  storageClass,
  concurrency,
  /**
   * An unchanged object reuses an earlier snapshot's vault copy only while that copy is younger
   * than this; older ones are copied again so every snapshot's objects outlive it (see docs/engine.md).
   */
  reuseMaxAgeDays: z.number().int().min(0).max(3650).default(DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS),
  multipartThresholdBytes: z.number().int().min(5 * 1024 * 1024, 'at least 5 MiB (the S3 minimum part size)').optional(),
});
export type SnapshotRequest = z.infer<typeof snapshotRequest>;

export const verifySnapshotRequest = z.object({
  vault: bucketName,
  snapshotId,
  /** Also read each object's stored checksum (one HEAD per object) instead of trusting the listing's ETag. */
  deep: z.boolean().default(false),
});
export type VerifySnapshotRequest = z.infer<typeof verifySnapshotRequest>;

/**
 * Parses input with a schema, turning the first problem into InvalidInput naming the field.
 * `fieldName` maps a schema path (e.g. ['source','at']) to the caller's spelling (e.g. '--to').
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldName: (path: readonly PropertyKey[]) => string = (path) => path.map(String).join('.') || 'input',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldName(issue.path);
  const expected = issue.message;
  const received = valueAt(input, issue.path);
  const shown = received === undefined ? 'nothing' : JSON.stringify(received);
  throw new InvalidInput(field, expected, `${field}: expected ${expected}, got ${shown}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
