/** How engine input fields are spelled on the command line, so errors name the flag to fix. */
const FLAGS: Record<string, string> = {
  bucket: '--bucket',
  prefix: '--prefix',
  concurrency: '--concurrency',
  record: '--record',
  dryRun: '--dry-run',
  copyTags: '--copy-tags',
  multipartThresholdBytes: '--multipart-threshold',
  vault: '--vault',
  storageClass: '--storage-class',
  reuseMaxAgeDays: '--reuse-max-age-days',
  snapshotId: '--snapshot',
  manifest: '--manifest',
  source: 'SOURCE',
  'source.at': '--to',
  'source.allowEmpty': '--allow-empty',
  'source.since': '--since',
  'source.snapshotId': '--snapshot',
  'source.vault': '--vault',
  'source.bucket': '--from-bucket',
  'source.manifest': '--manifest',
  'source.key': '--key',
  'source.versionId': '--version-id',
};

export function flagFor(field: string): string {
  return FLAGS[field] ?? field;
}

export function flagForPath(path: readonly PropertyKey[]): string {
  return flagFor(path.map(String).join('.'));
}

/**
 * How runbook execution-input fields are spelled on `sitedr run <runbook>`: the input schemas
 * (lambda/shared/runbook-inputs.ts) report schema paths, the operator needs the flag to fix.
 */
const RUNBOOK_FLAGS: Record<string, Record<string, string>> = {
  backup: { mode: '--release', release: '--release', 'release.id': '--release', 'release.commit': '--commit', 'release.description': '--description', requestedBy: '--requested-by' },
  restore: {
    source: 'SOURCE',
    'source.at': '--to',
    'source.allowEmpty': '--allow-empty',
    'source.snapshotId': '--snapshot',
    'source.releaseId': '--release',
    'source.key': '--key',
    'source.versionId': '--version-id',
    'source.since': '--since',
    'source.manifest': '--undo',
    target: '--drill',
    prefix: '--prefix',
    dryRun: '--dry-run',
    reason: '--reason',
    requestedBy: '--requested-by',
  },
  validate: { endpoint: '--endpoint', criticalPaths: '--path', expectedIndexContains: '--expect', watchMinutes: '--watch' },
  drill: { kind: '--full', requestedBy: '--requested-by' },
  rollback: { method: '--method', releaseId: '--release', commit: '--commit', dryRun: '--dry-run', reason: '--reason', requestedBy: '--requested-by' },
  failover: { direction: 'COMMAND', reason: '--reason', requestedBy: '--requested-by' },
  'log-export': { from: '--from', to: '--to' },
  'template-backup': { requestedBy: '--requested-by' },
};

/** The flag for a schema path of `runbook`'s input; array indexes are dropped (`criticalPaths.2` is `--path`). */
export function runbookFlagFor(runbook: string): (path: readonly PropertyKey[]) => string {
  return (path) => {
    const key = path.filter((p) => typeof p !== 'number').map(String).join('.');
    return RUNBOOK_FLAGS[runbook]?.[key] ?? (key || 'input');
  };
}
