/**
 * The planner's invariants on an in-memory bucket, with shrinking: after a point-in-time restore
 * every key shows its content at T; no object version is ever removed; a second identical restore
 * plans nothing; and earlier points in time stay restorable after a restore.
 */
import fc from 'fast-check';
import { planPointInTime, planUndelete } from '../../lambda/core/plan';
import { ModelBucket } from '../support/model-bucket';

const KEYS = ['a', 'b/c', 'é', 'd e'];
type Write = { kind: 'put'; key: string; body: string } | { kind: 'delete'; key: string };
const writeArb: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom(...KEYS), body: fc.constantFrom('', 'x', 'y', 'zz') }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }),
);

function build(writes: Write[]): { bucket: ModelBucket; times: Date[] } {
  const bucket = new ModelBucket('site');
  const times = [bucket.now()];
  for (const w of writes) {
    if (w.kind === 'put') bucket.put(w.key, w.body);
    else bucket.delete(w.key);
    times.push(bucket.now());
  }
  return { bucket, times };
}

async function restore(bucket: ModelBucket, at: Date): Promise<number> {
  const body = await planPointInTime(bucket.histories(), { bucket: 'site', prefix: '', at, now: bucket.now(), allowEmpty: true });
  for (const op of body.ops) bucket.apply(op);
  return body.ops.length;
}

test('point-in-time restores converge to the content at T and lose nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(writeArb, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), async (writes, i, j) => {
      const { bucket, times } = build(writes);
      const t1 = times[i % times.length];
      const t2 = times[j % times.length];
      const expected1 = bucket.contentAt(t1);
      const expected2 = bucket.contentAt(t2);
      const before = bucket.objectVersionIds();

      await restore(bucket, t1);
      expect(bucket.contentAt()).toEqual(expected1);
      expect(await restore(bucket, t1)).toBe(0);

      // Restoring has only appended: any earlier moment still reads as it did.
      await restore(bucket, t2);
      expect(bucket.contentAt()).toEqual(expected2);
      const after = bucket.objectVersionIds();
      for (const id of before) expect(after.has(id)).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test('undelete removes only delete markers laid since T and brings those keys back', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(writeArb, { minLength: 1, maxLength: 12 }), fc.nat(), async (writes, i) => {
      const { bucket, times } = build(writes);
      const since = times[i % times.length];
      const beforeContent = bucket.contentAt();
      const before = bucket.objectVersionIds();
      const body = await planUndelete(bucket.histories(), { bucket: 'site', prefix: '', since, now: bucket.now() });
      for (const op of body.ops) bucket.apply(op); // the model throws if an object version were deleted
      const after = bucket.contentAt();
      // Keys visible before stay as they were; keys brought back show their last content.
      for (const [key, content] of beforeContent) expect(after.get(key)).toBe(content);
      for (const op of body.ops) expect(after.has(op.key)).toBe(true);
      expect(bucket.objectVersionIds()).toEqual(before);
      // Idempotent: nothing left to undelete.
      const again = await planUndelete(bucket.histories(), { bucket: 'site', prefix: '', since, now: bucket.now() });
      expect(again.ops).toEqual([]);
    }),
    { numRuns: 300 },
  );
});
