/**
 * The validate runbook end to end: the checklist over HTTP against a local origin serving the
 * content bucket, with and without the site contract's headers, and the watch window.
 */
import { startLocalOrigin, LocalOrigin } from '../../local/origin';
import { handler as validateSite } from '../../lambda/handlers/validate-site';
import { runRunbook } from '../../local/runbooks';
import { publish, sampleSite } from '../../local/sample-site';
import { causeMessage, ending, FAILURE_FRAME, namedError, reportOf, timesVisited } from './runs';
import { setUpWorld, TestWorld } from './world';

let t: TestWorld;
let headerless: LocalOrigin;
beforeAll(async () => {
  t = await setUpWorld('e2evalid');
  headerless = await startLocalOrigin({ s3: t.s3, bucket: t.world.buckets.content, headers: {} });
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
});
afterAll(async () => {
  await headerless.close();
  await t.close();
});

it('a healthy site passes: every check in the checklist, reported', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', { criticalPaths: ['/about/'], expectedIndexContains: 'release v1' });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  const { validation } = run.output.outcome;
  expect(validation.passed).toBe(true);
  const ids = (validation.results as Array<{ id: string }>).map((r) => r.id);
  expect(ids).toEqual(expect.arrayContaining(['status:/', 'status:/about/', 'links', 'header:strict-transport-security', 'index-content']));
  expect(run.visitedStates).not.toContain('ValidateAgain');
  expect((await reportOf(t, 'validate', run)).outcome.validation.passed).toBe(true);
  expect(run.notifications.map((n) => n.stateName)).toEqual(['Notify']);
});

it('wrong headers: FAILED with ValidationFailed, the checklist in the failure report', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', {}, { settings: { SITEDR_SITE_URL: headerless.url } });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
  expect(run.visitedStates).toEqual(expect.arrayContaining(['ValidateSite', 'ValidateSiteFailed', ...FAILURE_FRAME]));
  const report = await reportOf(t, 'validate', run);
  expect(report).toMatchObject({ status: 'FAILED', error: { name: 'ValidationFailed' }, outcome: { validation: { passed: false, url: `${headerless.url}/` } } });
  const results = report.outcome.validation.results as Array<{ id: string; status: string; detail: string }>;
  const headerFailure = results.find((r) => r.id === 'header:x-content-type-options')!;
  expect(headerFailure.status).toBe('fail');
  // The pages themselves load: only the headers are wrong, and the report says so per item.
  expect(results.find((r) => r.id === 'status:/')!.status).toBe('pass');
  expect(run.notifications[0].message).toContain('header:x-content-type-options');
});

it('a content expectation the site does not meet fails the same way', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', { expectedIndexContains: 'release v2' });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
  const report = await reportOf(t, 'validate', run);
  expect((report.outcome.validation.results as Array<{ id: string; status: string }>).find((r) => r.id === 'index-content')!.status).toBe('fail');
});

it('watchMinutes 2: validates again twice after the first pass (Wait states take no time locally)', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', { watchMinutes: 2 });
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(timesVisited(run, 'ValidateSite')).toBe(1);
  expect(timesVisited(run, 'WatchWait')).toBe(2);
  expect(timesVisited(run, 'ValidateAgain')).toBe(2);
  expect(run.output.watch).toEqual({ remaining: 0, rounds: 3 });
});

it('a failure during the watch window ends the run as ValidationFailed', async () => {
  let calls = 0;
  const run = await runRunbook(t.world, t.runbooks, 'validate', { watchMinutes: 3 }, {
    handlerOverrides: {
      // The first re-check is the real one; the second sees the site broken (a bad deploy mid-watch).
      ValidateAgain: (event) => (++calls === 2 ? brokenChecklist : validateSite(event)),
    },
  });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
  expect(timesVisited(run, 'ValidateAgain')).toBe(2);
  expect(run.visitedStates).toEqual(expect.arrayContaining(['WatchFailed', ...FAILURE_FRAME]));
  expect((await reportOf(t, 'validate', run)).outcome.validation).toEqual(brokenChecklist);
});

it('a task that throws ends in the failure report with its own error name', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', {}, { handlerOverrides: { ValidateSite: () => Promise.reject(namedError('MissingSetting', 'environment variable SITEDR_SITE_URL is not set')) } });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'MissingSetting' });
  expect(run.visitedStates).toEqual(['Prepare', 'StartOutcome', 'ValidateSite', ...FAILURE_FRAME]);
  expect((await reportOf(t, 'validate', run)).error).toMatchObject({ name: 'MissingSetting' });
});

it('bad input is rejected at Prepare', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'validate', { watchMinutes: 500 });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/^watchMinutes: /);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
});

const brokenChecklist = {
  url: 'http://127.0.0.1',
  checkedAt: new Date(0).toISOString(),
  passed: false,
  results: [{ id: 'status:/', name: 'GET /', status: 'fail', detail: 'expected 200, got 503' }],
};
