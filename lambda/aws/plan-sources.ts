/**
 * Builds a restore plan for any source: reads what the source says the target should hold, lists
 * the target's histories, and lets the core decide. Reads only; nothing is changed here.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { decodeReleaseManifest } from '../core/manifests';
import { Desired, Plan, PlanBody, PlanOp, makePlan, planDesiredState, planPointInTime, planUndelete } from '../core/plan';
import { parseS3Url } from '../core/s3url';
import { needsCopyMarkerCheck } from '../core/verify';
import { InvalidInput, NotFound } from '../shared/errors';
import { RestoreRequest, RestoreSource } from '../shared/schemas';
import { readCopyMarker } from './copy';
import { listCurrentObjects, listHistories, requireVersioning } from './listing';
import { getText, readUndoManifest } from './records';
import { loadSnapshotManifest } from './snapshot';

export interface PlanContext {
  readonly planId: string;
  readonly now?: Date;
}

type PlanTarget = Pick<RestoreRequest, 'bucket' | 'prefix' | 'source'>;

/** Plans a restore of `bucket`/`prefix` from `source`. Throws InvalidInput / NotFound on bad input. */
export async function buildRestorePlan(s3: S3Client, req: PlanTarget, ctx: PlanContext): Promise<Plan> {
  const now = ctx.now ?? new Date();
  // Every restore adds versions and delete markers; without versioning that would destroy data.
  await requireVersioning(s3, req.bucket, 'bucket');
  const { body, prefix } = await planBody(s3, req, now);
  const confirmed = await dropFinishedMultipartCopies(s3, req.bucket, body);
  return makePlan(confirmed, { id: ctx.planId, createdAt: now, bucket: req.bucket, prefix, source: req.source });
}

async function planBody(s3: S3Client, req: PlanTarget, now: Date): Promise<{ body: PlanBody; prefix: string }> {
  const { bucket, prefix } = req;
  const source: RestoreSource = req.source;
  const histories = () => listHistories(s3, bucket, prefix, 'bucket');
  switch (source.kind) {
    case 'pointInTime':
      return { prefix, body: await planPointInTime(histories(), { bucket, prefix, at: new Date(source.at), now, allowEmpty: source.allowEmpty }) };
    case 'undelete':
      return { prefix, body: await planUndelete(histories(), { bucket, prefix, since: new Date(source.since), now }) };
    case 'snapshot': {
      const manifest = await loadSnapshotManifest(s3, source.vault, source.snapshotId, 'source.snapshotId');
      const desired = new Map<string, Desired>();
      for (const e of manifest.entries) {
        if (!e.key.startsWith(prefix)) continue;
        desired.set(e.key, { kind: 'object', from: { bucket: source.vault, key: e.vault.key, versionId: e.vault.versionId }, size: e.size, etag: e.etag });
      }
      if (desired.size === 0) throw new InvalidInput('prefix', 'a prefix that matches keys of the snapshot', `snapshot ${source.snapshotId} holds no key starting with ${JSON.stringify(prefix)}`);
      return { prefix, body: await planDesiredState(histories(), desired, { bucket, prefix, hideUnlisted: true, field: 'source.snapshotId' }) };
    }
    case 'replica': {
      const objects = await listCurrentObjects(s3, source.bucket, prefix, 'source.bucket');
      // An empty replica would hide the whole site: almost certainly the wrong bucket or prefix.
      if (objects.length === 0) throw new InvalidInput(prefix ? 'prefix' : 'source.bucket', 'a replica holding the site', `replica ${source.bucket} holds no object${prefix ? ` under ${JSON.stringify(prefix)}` : ''}`);
      const desired = new Map<string, Desired>();
      for (const o of objects) desired.set(o.key, { kind: 'object', from: { bucket: source.bucket, key: o.key, versionId: o.versionId }, size: o.size, etag: o.etag });
      return { prefix, body: await planDesiredState(histories(), desired, { bucket, prefix, hideUnlisted: true, field: 'source.bucket' }) };
    }
    case 'release': {
      const manifest = decodeReleaseManifest(await getText(s3, parseS3Url(source.manifest, 'source.manifest'), 'source.manifest'));
      const desired = new Map<string, Desired>();
      for (const [key, versionId] of Object.entries(manifest.files)) if (key.startsWith(prefix)) desired.set(key, { kind: 'version', versionId });
      if (desired.size === 0) throw new InvalidInput('prefix', 'a prefix that matches keys of the release manifest', `the release manifest lists no key starting with ${JSON.stringify(prefix)}`);
      return { prefix, body: await planDesiredState(histories(), desired, { bucket, prefix, hideUnlisted: true, field: 'source.manifest' }) };
    }
    case 'keyVersion': {
      const desired = new Map<string, Desired>([[source.key, { kind: 'version', versionId: source.versionId }]]);
      let seen = false;
      const onlyThisKey = async function* () {
        for await (const h of listHistories(s3, bucket, source.key, 'bucket')) {
          if (h.key !== source.key) continue;
          seen = true;
          yield h;
        }
      };
      const body = await planDesiredState(onlyThisKey(), desired, { bucket, prefix: source.key, hideUnlisted: false, field: 'source.versionId' }).catch((err) => {
        // A key the bucket never held reads better as a missing key than as a missing version.
        if (!seen && err instanceof NotFound) throw new NotFound('source.key', 'a key of the bucket', `key ${JSON.stringify(source.key)} has no versions in ${bucket}`);
        throw err;
      });
      return { prefix: source.key, body };
    }
    case 'undo': {
      const manifest = await readUndoManifest(s3, parseS3Url(source.manifest, 'source.manifest'), 'source.manifest');
      if (manifest.header.bucket !== bucket) {
        throw new InvalidInput('bucket', `the bucket the undo manifest was written for (${manifest.header.bucket})`, `the undo manifest belongs to bucket ${manifest.header.bucket}, not ${bucket}`);
      }
      const desired = new Map<string, Desired>();
      for (const e of manifest.entries) desired.set(e.key, e.before ? { kind: 'version', versionId: e.before.versionId } : { kind: 'absent' });
      const scope = manifest.header.prefix;
      return { prefix: scope, body: await planDesiredState(listHistories(s3, bucket, scope, 'bucket'), desired, { bucket, prefix: scope, hideUnlisted: false, field: 'source.manifest' }) };
    }
  }
}

/**
 * Copies above the multipart threshold get a new ETag, so the core plans them again; those whose
 * copy marker shows the intended content are already done and are dropped from the plan. Only
 * keys of equal size with a multipart ETag are looked at, one HEAD each.
 */
async function dropFinishedMultipartCopies(s3: S3Client, bucket: string, body: PlanBody): Promise<PlanBody> {
  const kept: PlanOp[] = [];
  let dropped = 0;
  let droppedBytes = 0;
  for (const op of body.ops) {
    if (op.kind === 'copy' && op.before && needsCopyMarkerCheck({ present: true, size: op.size, etag: op.etag }, op.before)) {
      if ((await readCopyMarker(s3, bucket, op.key, op.before.versionId)) === op.etag) {
        dropped++;
        droppedBytes += op.size;
        continue;
      }
    }
    kept.push(op);
  }
  if (dropped === 0) return body;
  const s = body.summary;
  return { ops: kept, summary: { ...s, copy: s.copy - dropped, copyBytes: s.copyBytes - droppedBytes, unchanged: s.unchanged + dropped, unchangedBytes: s.unchangedBytes + droppedBytes } };
}
