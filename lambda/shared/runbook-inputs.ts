/**
 * Execution inputs of the runbooks (what you paste into the Step Functions console, what a
 * schedule sends, what `sitedr run` builds from flags). The first task of every runbook parses
 * its input with these schemas, so bad input fails as InvalidInput naming the field before
 * anything is touched, the same way in the console, the CLI and a schedule.
 */
import { z } from 'zod';
import { isoInstant, keyPrefix, s3ObjectUrl, snapshotId } from './schemas';

/** Release ids name a deployed version of the site: letters, digits, dots, dashes, underscores. */
export const releaseId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a release id such as 2026-12-01.1 or v42');
export const commitSha = z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit id (7 to 40 lowercase hex digits)');

/** Why a run happens and who asked: every run that changes the site records both. */
const reason = z.string().trim().min(10, 'a reason of at least 10 characters (it goes into the audit record and report)').max(500);
const requestedBy = z.string().trim().min(1, 'who asked for the run (a name or e-mail)').max(200);

export const backupInput = z.strictObject({
  /** snapshot: copy the site into the vault. release: also record a release manifest (key -> version id) for rollback. */
  mode: z.enum(['snapshot', 'release']).default('snapshot'),
  release: z
    .strictObject({
      id: releaseId,
      commit: commitSha,
      description: z.string().max(500).optional(),
    })
    .optional(),
  requestedBy: requestedBy.default('schedule'),
}).refine((i) => i.mode !== 'release' || i.release !== undefined, { path: ['release'], message: 'release {id, commit} when mode is release' });
export type BackupInput = z.output<typeof backupInput>;

/** Where restored content comes from. The runbook knows its buckets; the input only says which source. */
export const restoreSourceInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pointInTime'), at: isoInstant, allowEmpty: z.boolean().default(false) }),
  /** The newest snapshot when no id is given. */
  z.strictObject({ type: z.literal('snapshot'), snapshotId: snapshotId.optional() }),
  z.strictObject({ type: z.literal('replica') }),
  z.strictObject({ type: z.literal('release'), releaseId }),
  z.strictObject({ type: z.literal('version'), key: z.string().min(1, 'a non-empty key').max(1024), versionId: z.string().min(1, 'a version id') }),
  z.strictObject({ type: z.literal('undelete'), since: isoInstant }),
  /** Undo an earlier restore from its undo manifest (printed in every restore report). */
  z.strictObject({ type: z.literal('undo'), manifest: s3ObjectUrl }),
]);
export type RestoreSourceInput = z.output<typeof restoreSourceInput>;

export const restoreInput = z.strictObject({
  source: restoreSourceInput,
  /** site: the live content bucket. drill: the isolated drill bucket (never the live site). */
  target: z.enum(['site', 'drill']).default('site'),
  prefix: keyPrefix,
  dryRun: z.boolean().default(false),
  reason,
  requestedBy,
});
export type RestoreInput = z.output<typeof restoreInput>;

export const validateInput = z.strictObject({
  /** Which hostname to check: the site, the standby distribution's own hostname, or the primary distribution's *.cloudfront.net name. */
  endpoint: z.enum(['site', 'standby', 'primary']).default('site'),
  criticalPaths: z.array(z.string().regex(/^\/\S*$/, 'absolute paths such as / or /about/')).max(20).optional(),
  /** Text the index page must contain (e.g. a release marker). */
  expectedIndexContains: z.string().min(1).max(200).optional(),
  /** Re-check every minute for this many minutes after the first pass. */
  watchMinutes: z.number().int().min(0).max(120).default(0),
});
export type ValidateInput = z.output<typeof validateInput>;

export const drillInput = z.strictObject({
  /** content: restore the newest snapshot into the drill bucket. full: the quarterly full recovery drill. */
  kind: z.enum(['content', 'full']).default('content'),
  requestedBy: requestedBy.default('schedule'),
});
export type DrillInput = z.output<typeof drillInput>;

export const rollbackInput = z
  .strictObject({
    method: z.enum(['last_known_good', 'release', 'content_only', 'infrastructure_only']),
    releaseId: releaseId.optional(),
    commit: commitSha.optional(),
    dryRun: z.boolean().default(false),
    reason,
    requestedBy,
  })
  .refine((i) => i.method === 'last_known_good' || i.releaseId !== undefined || i.commit !== undefined, {
    path: ['releaseId'],
    message: 'releaseId or commit for methods release, content_only and infrastructure_only',
  });
export type RollbackInput = z.output<typeof rollbackInput>;

export const failoverInput = z.strictObject({
  /** failover: move the site's hostname to the standby distribution. failback: move it back. */
  direction: z.enum(['failover', 'failback']),
  reason,
  requestedBy,
});
export type FailoverInput = z.output<typeof failoverInput>;

export const logExportInput = z
  .strictObject({
    /** Start of the window; with `to`, overrides the default (the previous 7 full days, UTC). */
    from: isoInstant.optional(),
    to: isoInstant.optional(),
  })
  .refine((i) => (i.from === undefined) === (i.to === undefined), { path: ['to'], message: 'both from and to, or neither' })
  .refine((i) => i.from === undefined || Date.parse(i.from) < Date.parse(i.to!), { path: ['to'], message: 'a time after from' });
export type LogExportInput = z.output<typeof logExportInput>;

export const templateBackupInput = z.strictObject({ requestedBy: requestedBy.default('schedule') });

/** Each runbook's input schema, by runbook name. */
export const RUNBOOK_INPUTS = {
  backup: backupInput,
  restore: restoreInput,
  validate: validateInput,
  drill: drillInput,
  rollback: rollbackInput,
  failover: failoverInput,
  'log-export': logExportInput,
  'template-backup': templateBackupInput,
} as const;
export type RunbookName = keyof typeof RUNBOOK_INPUTS;
export const RUNBOOK_NAMES = Object.keys(RUNBOOK_INPUTS) as RunbookName[];
