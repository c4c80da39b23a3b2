/** Turns the SOURCE flags of `plan` and `restore` into exactly one restore source. */
import { InvalidInput } from '../lambda/shared/errors';

export interface SourceFlags {
  readonly to?: string;
  readonly allowEmpty?: boolean;
  readonly snapshot?: string;
  readonly vault?: string;
  readonly fromBucket?: string;
  readonly manifest?: string;
  readonly key?: string;
  readonly versionId?: string;
  readonly undelete?: boolean;
  readonly since?: string;
}

export const SOURCE_HELP = 'one of --to TIME | --snapshot ID --vault V | --from-bucket R | --manifest s3://... | --key K --version-id ID | --undelete --since TIME';

export function requires(flag: string, companion: string, present: unknown): void {
  if (present === undefined || present === false) throw new InvalidInput(companion, `${companion} together with ${flag}`, `${flag} needs ${companion}`);
}

export function onlyWith(flag: string, owner: string, present: unknown, ownerPresent: unknown): void {
  if (present !== undefined && present !== false && (ownerPresent === undefined || ownerPresent === false)) {
    throw new InvalidInput(flag, `${flag} only together with ${owner}`, `${flag} is only meaningful with ${owner}`);
  }
}

/** The raw source object; the shared zod schema then checks each value (time format, names...). */
export function sourceFromFlags(f: SourceFlags): Record<string, unknown> {
  const chosen = [
    f.to !== undefined && '--to',
    f.snapshot !== undefined && '--snapshot',
    f.fromBucket !== undefined && '--from-bucket',
    f.manifest !== undefined && '--manifest',
    f.key !== undefined && '--key',
    f.undelete && '--undelete',
  ].filter((x): x is string => typeof x === 'string');
  if (chosen.length !== 1) {
    throw new InvalidInput('SOURCE', `exactly ${SOURCE_HELP}`, chosen.length === 0 ? 'no source given' : `more than one source given: ${chosen.join(', ')}`);
  }
  onlyWith('--allow-empty', '--to', f.allowEmpty, f.to);
  onlyWith('--vault', '--snapshot', f.vault, f.snapshot);
  onlyWith('--version-id', '--key', f.versionId, f.key);
  onlyWith('--since', '--undelete', f.since, f.undelete);
  switch (chosen[0]) {
    case '--to':
      return { kind: 'pointInTime', at: f.to, allowEmpty: f.allowEmpty ?? false };
    case '--snapshot':
      requires('--snapshot', '--vault', f.vault);
      return { kind: 'snapshot', vault: f.vault, snapshotId: f.snapshot };
    case '--from-bucket':
      return { kind: 'replica', bucket: f.fromBucket };
    case '--manifest':
      return { kind: 'release', manifest: f.manifest };
    case '--key':
      requires('--key', '--version-id', f.versionId);
      return { kind: 'keyVersion', key: f.key, versionId: f.versionId };
    default:
      requires('--undelete', '--since', f.since);
      return { kind: 'undelete', since: f.since };
  }
}
