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
