/**
 * Guard: every ASL feature the synthesized runbooks use is one this suite exercises. A feature
 * added to a definition without a test that runs it (locally, on moto's executor, or proved
 * another way) fails here, naming the machine and the feature.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../lib/config';
import { usedFeatures } from '../../local/asl';
import { LOCALLY_UNSUPPORTED } from '../../local/local-sfn';
import { synthesizeRunbooks } from '../../local/runbooks';
import { RUNBOOK_NAMES } from '../../lambda/shared/runbook-inputs';

/**
 * Feature -> the test files that exercise it. Most run on the local runner in every runbook test;
 * the ones the local runner cannot execute name the test that proves them another way.
 */
const EXERCISED: Readonly<Record<string, readonly string[]>> = {
  Task: ['backup-restore.test.ts'],
  Pass: ['backup-restore.test.ts'],
  Choice: ['backup-restore.test.ts', 'restore-failures.test.ts'],
  Succeed: ['backup-restore.test.ts'],
  // Rejected (InvalidInput) and Failed (the original error) in every runbook's failure tests.
  Fail: ['restore-failures.test.ts', 'validate.test.ts'],
  'Fail:ErrorPath': ['restore-failures.test.ts', 'rollback.test.ts'],
  'Fail:CausePath': ['restore-failures.test.ts', 'drill.test.ts'],
  // Invalidation and deploy polling, the validate watch window (0 ms locally).
  Wait: ['validate.test.ts', 'failover.test.ts'],
  Retry: ['restore-failures.test.ts'],
  Catch: ['restore-failures.test.ts', 'drill.test.ts'],
  ResultPath: ['restore-sources.test.ts', 'harness.test.ts'],
  ItemSelector: ['backup-restore.test.ts', 'log-export.test.ts', 'distributed-map.test.ts'],
  'Map:INLINE': ['backup-restore.test.ts', 'drill.test.ts', 'log-export.test.ts'],
  // Not executed by the local runner: the index, ItemReader on moto, ItemProcessor locally per item.
  'Map:DISTRIBUTED': ['distributed-map.test.ts'],
  ItemReader: ['distributed-map.test.ts'],
  // The approval request's 24 h timeout: set, never reached in a test (a timeout is the absence of an answer).
  TimeoutSeconds: ['restore-failures.test.ts'],
  contextObject: ['backup-restore.test.ts'],
  'integration:lambda:direct': ['backup-restore.test.ts'],
  'integration:sns:publish': ['restore-failures.test.ts'],
  // Token waits: answered by runRunbook's approval option locally, and by SendTaskSuccess/Failure on moto.
  waitForTaskToken: ['restore-failures.test.ts', 'harness.test.ts'],
  'intrinsic:States.Format': ['restore-failures.test.ts', 'log-export.test.ts'],
  'intrinsic:States.MathAdd': ['validate.test.ts'],
  'intrinsic:States.JsonToString': ['rollback-infrastructure.test.ts'],
};

/** Violations as "machine: feature" lines, so a failure names both. */
export function unexercised(machines: ReadonlyMap<string, { definition: object }>, exercised: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [name, machine] of machines) {
    for (const feature of [...usedFeatures(machine.definition)].sort()) {
      if (!(feature in exercised)) out.push(`${name}: ${feature} is used but no end-to-end test exercises it (add one, then list it in test/e2e/guard.test.ts)`);
    }
  }
  return out;
}

// prod with a domain: every runbook exists, failover included.
const config = parseConfig(
  { project: 'e2eguard', account: '123456789012', environments: { prod: { domain: { zoneName: 'example.com', hostedZoneId: 'Z0123456789EXAMPLE', recordName: 'www.example.com' } } } },
  'prod',
).environments[0];
const { machines } = synthesizeRunbooks(config);

it('synthesizes all eight runbooks', () => {
  expect([...machines.keys()].sort()).toEqual(RUNBOOK_NAMES.map((n) => `${config.prefix}-${n}`).sort());
});

it('every feature every runbook uses is exercised by a test', () => {
  expect(unexercised(machines, EXERCISED)).toEqual([]);
});

it('the list names only features still in use, and test files that exist', () => {
  const used = new Set([...machines.values()].flatMap((m) => [...usedFeatures(m.definition)]));
  expect(Object.keys(EXERCISED).filter((f) => !used.has(f))).toEqual([]);
  const missing = Object.values(EXERCISED)
    .flat()
    .filter((file) => !existsSync(join(__dirname, file)));
  expect(missing).toEqual([]);
});

/** Features the local runner does not execute faithfully -> the test that proves them another way. */
const PROVED_ANOTHER_WAY: Readonly<Record<string, string>> = {
  ItemReader: 'distributed-map.test.ts',
  'Map:DISTRIBUTED': 'distributed-map.test.ts',
  // The runner treats a token wait as a plain call; moto's executor really waits for the callback.
  waitForTaskToken: 'harness.test.ts',
};

it('features the local runner cannot execute are each proved by a test that does not rely on it', () => {
  const used = new Set([...machines.values()].flatMap((m) => [...usedFeatures(m.definition)]));
  const needProof = [...used].filter((f) => LOCALLY_UNSUPPORTED.includes(f) || f === 'waitForTaskToken' || f === 'Map:DISTRIBUTED').sort();
  expect(needProof.filter((f) => !(f in PROVED_ANOTHER_WAY))).toEqual([]);
  for (const f of needProof) expect(EXERCISED[f]).toContain(PROVED_ANOTHER_WAY[f]);
});

it('fails, naming the machine and the feature, when a definition uses something unlisted', () => {
  const withParallel = new Map([['acme-prod-restore', { definition: { StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [], End: true } } } }]]);
  expect(unexercised(withParallel, EXERCISED)).toEqual([expect.stringMatching(/^acme-prod-restore: Parallel is used but no end-to-end test exercises it/)]);
});
