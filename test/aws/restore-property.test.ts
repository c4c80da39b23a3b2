/**
 * Property: for random version histories and random times T, a point-in-time restore makes every
 * key show its content at T, keeps every version that existed, and a second identical restore
 * plans nothing.
 *
 * The emulator stamps versions to the second, so each history step costs a second of wall time.
 * Rather than building histories one after another (minutes), the generated cases are built in
 * lock step, each in its own bucket, sharing the checkpoints; then each case is restored and
 * checked. Cases come from fast-check with a fixed seed (override with SITEDR_PROPERTY_SEED);
 * a failure prints the seed and the case. Shrinking is left to the in-memory twin of this
 * property in test/core/plan-property.test.ts.
 */
import { S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { buildRestorePlan } from '../../lambda/aws/plan-sources';
import { runRestore } from '../../lambda/aws/restore';
import { restoreRequest } from '../../lambda/shared/schemas';
import { HistoryBuilder, Op, nextSecond } from '../support/history';
import { createVersionedBucket, objectVersionIds, sorted, testClient, visibleContent } from '../support/s3';

const KEYS = ['index.html', 'dir/page one.html', 'é+%?#&.txt', 'z'];
const BODIES = ['', 'a', 'b', 'ccc'];
const SEED = Number(process.env.SITEDR_PROPERTY_SEED ?? 20261204);
const RUNS = 30;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom(...KEYS), body: fc.constantFrom(...BODIES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }) },
);
// One operation per key per step: the emulator cannot order two writes of a key within a second.
const stepArb = fc.uniqueArray(opArb, { selector: (op) => op.key, maxLength: KEYS.length });
const caseArb = fc
  .array(stepArb, { minLength: 2, maxLength: 4 })
  .filter((steps) => steps[0].some((op) => op.kind === 'put'))
  .chain((steps) => fc.record({ steps: fc.constant(steps), t1: fc.nat(steps.length - 1), t2: fc.nat(steps.length - 1) }));

let s3: S3Client;
let record: string;

beforeAll(async () => {
  s3 = testClient();
  record = `s3://${await createVersionedBucket(s3, 'records')}/prop`;
});
afterAll(() => s3.destroy());

test(`point-in-time restore over ${RUNS} random histories (seed ${SEED})`, async () => {
  const cases = fc.sample(caseArb, { numRuns: RUNS, seed: SEED });
  const builders = await Promise.all(cases.map(async () => new HistoryBuilder(s3, await createVersionedBucket(s3, 'prop'))));
  const steps = Math.max(...cases.map((c) => c.steps.length));
  for (let i = 0; i < steps; i++) {
    await Promise.all(cases.map((c, n) => Promise.all((c.steps[i] ?? []).map((op) => builders[n].apply(op)))));
    const at = await nextSecond();
    builders.forEach((b) => b.record(at));
  }

  for (const [n, c] of cases.entries()) {
    const b = builders[n];
    try {
      for (const t of [c.t1, c.t2]) {
        const cp = b.checkpoints[t];
        const before = await objectVersionIds(s3, b.bucket);
        const req = restoreRequest.parse({ bucket: b.bucket, source: { kind: 'pointInTime', at: cp.at.toISOString(), allowEmpty: true }, record, concurrency: 8 });
        const result = await runRestore(s3, req);
        expect(result.ok).toBe(true);
        expect(sorted(await visibleContent(s3, b.bucket))).toEqual(sorted(new Map(cp.content)));
        const after = await objectVersionIds(s3, b.bucket);
        expect([...before].filter((id) => !after.has(id))).toEqual([]);
        const again = await buildRestorePlan(s3, req, { planId: 'second' });
        expect(again.ops).toEqual([]);
      }
    } catch (err) {
      throw new Error(`case ${n} (seed ${SEED}) ${JSON.stringify(c)} failed: ${(err as Error).message}`);
    }
  }
});
