/**
 * An in-memory versioned bucket that behaves like S3 for the operations the engine uses: puts add
 * versions, plain deletes add delete markers, versioned deletes remove one entry. Used to test the
 * planner's properties without the emulator (fast, and fast-check can shrink failures).
 */
import { createHash } from 'node:crypto';
import type { PlanOp } from '../../lambda/core/plan';
import { KeyHistory, VersionEntry, compareKeys } from '../../lambda/core/versions';

export class ModelBucket {
  private readonly versions = new Map<string, VersionEntry[]>();
  private readonly bodies = new Map<string, string>();
  private clock: number;
  private nextId = 1;

  constructor(
    readonly name: string,
    start = Date.parse('2026-12-01T00:00:00Z'),
  ) {
    this.clock = start;
  }

  /** Time moves one second per write, like a history built a second apart. */
  now(): Date {
    return new Date(this.clock);
  }

  private add(key: string, entry: Omit<VersionEntry, 'key' | 'versionId' | 'isLatest' | 'lastModified'>, body?: string): string {
    this.clock += 1000;
    const versionId = `v${this.nextId++}`;
    const list = this.versions.get(key) ?? [];
    const previous = list.map((v) => ({ ...v, isLatest: false }));
    this.versions.set(key, [{ key, versionId, isLatest: true, lastModified: new Date(this.clock), ...entry }, ...previous]);
    if (body !== undefined) this.bodies.set(versionId, body);
    return versionId;
  }

  put(key: string, body: string): string {
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    return this.add(key, { isDeleteMarker: false, size: Buffer.byteLength(body), etag }, body);
  }

  delete(key: string): string {
    return this.add(key, { isDeleteMarker: true, size: 0, etag: '' });
  }

  /** Removes one entry by version id; refuses an object version (the engine must never ask for that). */
  deleteVersion(key: string, versionId: string): void {
    const list = this.versions.get(key) ?? [];
    const entry = list.find((v) => v.versionId === versionId);
    if (entry && !entry.isDeleteMarker) throw new Error(`object version ${versionId} of ${key} would be deleted`);
    const rest = list.filter((v) => v.versionId !== versionId);
    this.versions.set(key, rest.map((v, i) => ({ ...v, isLatest: i === 0 })));
  }

  bodyOf(versionId: string): string {
    const body = this.bodies.get(versionId);
    if (body === undefined) throw new Error(`no body for ${versionId}`);
    return body;
  }

  apply(op: PlanOp, source: ModelBucket = this): void {
    switch (op.kind) {
      case 'copy':
        this.put(op.key, source.bodyOf(op.from.versionId));
        return;
      case 'hide':
        this.delete(op.key);
        return;
      case 'unhide':
        for (const id of op.deleteMarkerIds) this.deleteVersion(op.key, id);
    }
  }

  histories(prefix = ''): KeyHistory[] {
    return [...this.versions.entries()]
      .filter(([key, list]) => key.startsWith(prefix) && list.length > 0)
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, versions]) => ({ key, versions }));
  }

  /** key -> body of what each key shows at `at` (now by default). */
  contentAt(at: Date = new Date(8.64e15)): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, list] of this.versions) {
      const entry = list.find((v) => v.lastModified.getTime() <= at.getTime());
      if (entry && !entry.isDeleteMarker) out.set(key, this.bodyOf(entry.versionId));
    }
    return out;
  }

  objectVersionIds(): Set<string> {
    const ids = new Set<string>();
    for (const list of this.versions.values()) for (const v of list) if (!v.isDeleteMarker) ids.add(v.versionId);
    return ids;
  }
}
