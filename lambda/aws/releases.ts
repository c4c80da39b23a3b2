/** Release records in the vault: write one from the bucket's current state, mark one good, list them. */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { lastKnownGood, releaseMatches, releaseGoodKey, releaseManifestKey, ReleaseRecord, ReleaseSummary, RELEASES_PREFIX } from '../core/releases';
import { releaseManifestSchema } from '../core/manifests';
import { InvalidInput, NotFound } from '../shared/errors';
import { isNotFoundError, listCurrentObjects } from './listing';
import { getText, putText } from './records';
import { withRetry } from './retry';

/** Records what `bucket` serves now as release `releaseId`; a release id is written once. */
export async function recordRelease(
  s3: S3Client,
  opts: { bucket: string; vault: string; releaseId: string; commit: string; description?: string; now: Date },
): Promise<{ manifestUrl: string; files: number }> {
  const key = releaseManifestKey(opts.releaseId);
  if (await exists(s3, opts.vault, key)) {
    throw new InvalidInput('release.id', 'a release id not used before', `release ${opts.releaseId} is already recorded in ${opts.vault}; releases are immutable`);
  }
  const objects = await listCurrentObjects(s3, opts.bucket, '');
  if (objects.length === 0) throw new InvalidInput('release', 'a deployed site', `${opts.bucket} is empty: nothing to record as release ${opts.releaseId}`);
  const record: ReleaseRecord = {
    format: 'sitedr-release/1',
    release: opts.releaseId,
    commit: opts.commit,
    createdAt: opts.now.toISOString(),
    bucket: opts.bucket,
    ...(opts.description ? { description: opts.description } : {}),
    files: Object.fromEntries(objects.map((o) => [o.key, o.versionId])),
  };
  await putText(s3, { bucket: opts.vault, key }, JSON.stringify(record), 'application/json');
  return { manifestUrl: `s3://${opts.vault}/${key}`, files: objects.length };
}

export async function markReleaseGood(s3: S3Client, vault: string, releaseId: string, evidence: unknown, now: Date): Promise<void> {
  await loadRelease(s3, vault, releaseId);
  await putText(s3, { bucket: vault, key: releaseGoodKey(releaseId) }, JSON.stringify({ releaseId, markedAt: now.toISOString(), evidence }), 'application/json');
}

export async function loadRelease(s3: S3Client, vault: string, releaseId: string, field = 'releaseId'): Promise<ReleaseRecord> {
  const text = await getText(s3, { bucket: vault, key: releaseManifestKey(releaseId) }, field).catch((err) => {
    if (err instanceof NotFound) throw new NotFound(field, 'a recorded release', `no release ${releaseId} in ${vault}; record releases with the backup runbook in release mode`);
    throw err;
  });
  const parsed = releaseManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new InvalidInput(field, 'a sitedr-release/1 manifest', `release ${releaseId} is malformed`);
  return JSON.parse(text) as ReleaseRecord;
}

/** Every recorded release, with whether it was marked good. */
export async function listReleases(s3: S3Client, vault: string): Promise<ReleaseSummary[]> {
  const ids = new Set<string>();
  const good = new Set<string>();
  let token: string | undefined;
  do {
    const page = await withRetry(() => s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: RELEASES_PREFIX, ContinuationToken: token })));
    for (const o of page.Contents ?? []) {
      const m = /^releases\/([^/]+)\/(manifest|good)\.json$/.exec(o.Key ?? '');
      if (m) (m[2] === 'manifest' ? ids : good).add(m[1]);
    }
    token = page.NextContinuationToken;
  } while (token);
  const out: ReleaseSummary[] = [];
  for (const releaseId of ids) {
    const r = await loadRelease(s3, vault, releaseId);
    out.push({ releaseId, commit: r.commit, createdAt: r.createdAt, good: good.has(releaseId) });
  }
  return out;
}

/** Resolves a rollback target: by id, by commit (newest release of it), or the last known good one. */
export async function resolveRelease(
  s3: S3Client,
  opts: { vault: string; bucket: string; releaseId?: string; commit?: string },
): Promise<ReleaseRecord> {
  if (opts.releaseId) return loadRelease(s3, opts.vault, opts.releaseId);
  const releases = await listReleases(s3, opts.vault);
  if (opts.commit) {
    const match = releases.filter((r) => r.commit.startsWith(opts.commit!)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!match) throw new NotFound('commit', 'the commit of a recorded release', `no recorded release was built from commit ${opts.commit}`);
    return loadRelease(s3, opts.vault, match.releaseId);
  }
  const current = new Map((await listCurrentObjects(s3, opts.bucket, '')).map((o) => [o.key, o.versionId]));
  const records = new Map<string, ReleaseRecord>();
  for (const r of releases.filter((x) => x.good)) records.set(r.releaseId, await loadRelease(s3, opts.vault, r.releaseId));
  const target = lastKnownGood(releases, (id) => releaseMatches(records.get(id)!.files, current));
  if (!target) throw new NotFound('method', 'a release marked good that differs from the current site', 'no release marked good differs from what the site serves now; nothing to roll back to');
  return records.get(target.releaseId)!;
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await getText(s3, { bucket, key }, 'release');
    return true;
  } catch (err) {
    if (err instanceof NotFound || isNotFoundError(err)) return false;
    throw err;
  }
}
