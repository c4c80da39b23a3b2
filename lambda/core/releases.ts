/**
 * Where releases live in the vault. A release is the site as deployed: key -> version id, with
 * the commit it came from. Validation marks a release good; rollback picks among good releases.
 */
import type { ReleaseManifest } from './manifests';

export const RELEASES_PREFIX = 'releases/';

export function releaseManifestKey(releaseId: string): string {
  return `${RELEASES_PREFIX}${releaseId}/manifest.json`;
}

/** Present only for releases that passed validation after they were deployed. */
export function releaseGoodKey(releaseId: string): string {
  return `${RELEASES_PREFIX}${releaseId}/good.json`;
}

/** A stored release: the engine's release manifest plus provenance. */
export interface ReleaseRecord extends ReleaseManifest {
  readonly release: string;
  readonly commit: string;
  readonly createdAt: string;
  readonly bucket: string;
  readonly description?: string;
}

export interface ReleaseSummary {
  readonly releaseId: string;
  readonly commit: string;
  readonly createdAt: string;
  readonly good: boolean;
}

/**
 * The rollback target for `last_known_good`: the newest release marked good whose files differ
 * from what the site serves now (rolling back to the current state would change nothing).
 */
export function lastKnownGood(
  releases: readonly ReleaseSummary[],
  isCurrent: (releaseId: string) => boolean,
): ReleaseSummary | undefined {
  return [...releases]
    .filter((r) => r.good)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .find((r) => !isCurrent(r.releaseId));
}

/** Same files at the same versions: the release is what the bucket serves. */
export function releaseMatches(files: Readonly<Record<string, string>>, current: ReadonlyMap<string, string>): boolean {
  const keys = Object.keys(files);
  if (keys.length !== current.size) return false;
  return keys.every((k) => current.get(k) === files[k]);
}
