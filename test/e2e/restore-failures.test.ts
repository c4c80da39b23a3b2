/**
 * The restore runbook when things go wrong, or must not happen yet: bad input rejected before
 * anything is touched, a failing task ending in the failure report (with the undo command), a dry
 * run, and the approval gate answered both ways.
 */
import { ExecutionFailed } from '../../lambda/shared/errors';
import { startLocalOrigin, LocalOrigin } from '../../local/origin';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { allVersions, asContents, causeMessage, contents, ending, FAILURE_FRAME, outputOf, reportOf } from './runs';
import { keysUnder, pause, setUpWorld, TestWorld } from './world';

let t: TestWorld;
/** The same bucket served without the site contract's security headers. */
let headerless: LocalOrigin;
/** A time at which the content bucket held sample site v1 (set up once, restored to many times). */
let v1At: string;
const reason = 'restore after the bad deploy';
const requestedBy = 'oncall@example.com';

beforeAll(async () => {
  t = await setUpWorld('e2erfail');
  headerless = await startLocalOrigin({ s3: t.s3, bucket: t.world.buckets.content, headers: {} });
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
  // moto timestamps have second resolution: keep the point in time clear of both writes.
  await pause(1100);
  v1At = new Date().toISOString();
  await pause(1100);
});
afterAll(async () => {
  await headerless.close();
  await t.close();
});

describe('bad input is rejected at Prepare (InvalidInput), before anything is touched', () => {
  const at = () => v1At;
  it.each([
    ['a missing reason', () => ({ source: { type: 'pointInTime', at: at() }, requestedBy }), /^reason: expected /],
    ['a reason under 10 characters', () => ({ source: { type: 'pointInTime', at: at() }, reason: 'oops', requestedBy }), /^reason: expected a reason of at least 10 characters/],
    ['a time without a zone', () => ({ source: { type: 'pointInTime', at: '2026-01-01T10:00:00' }, reason, requestedBy }), /^source\.at: expected an ISO-8601 time with a zone/],
    ['an unknown source type', () => ({ source: { type: 'tape', at: at() }, reason, requestedBy }), /^source\.type: expected /],
  ])('%s', async (_what, input, message) => {
    await corrupt(t.s3, t.world.buckets.content);
    const contentBefore = await allVersions(t.s3, t.world.buckets.content);
    const vaultBefore = await keysUnder(t.s3, t.world.buckets.vault, '');

    const run = await runRunbook(t.world, t.runbooks, 'restore', input());

    expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
    expect(causeMessage(run)).toMatch(message);
    // Rejected directly: no plan, no report, no notification.
    expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
    expect(run.notifications).toEqual([]);
    expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(contentBefore);
    expect(await keysUnder(t.s3, t.world.buckets.vault, '')).toEqual(vaultBefore);
  });
});

describe('a failing task ends in the failure report, which says how to undo what was changed', () => {
  it('validation fails (the site serves the wrong headers): ValidationFailed, after the content was restored', async () => {
    await corrupt(t.s3, t.world.buckets.content);
    const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'pointInTime', at: v1At }, reason, requestedBy }, { settings: { SITEDR_SITE_URL: headerless.url } });

    expect(ending(run)).toEqual({ status: 'FAILED', error: 'ValidationFailed' });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['Plan', 'ExecuteBatches', 'Invalidate', 'ValidateSite', 'ValidateSiteFailed', ...FAILURE_FRAME]));
    expect(run.visitedStates).not.toContain('Report');
    expect(run.notifications.map((n) => n.stateName)).toEqual(['NotifyProgress', 'NotifyFailure']);
    // The failure goes out as an incident message in the DR plan's template.
    expect(run.notifications[1].subject).toBe('[staging] INCIDENT: restore runbook failed (ValidationFailed) (P2) - Investigating');
    expect(run.notifications[1].message).toMatch(/^\S+ INCIDENT: restore runbook failed \(ValidationFailed\) \(P2\)\nEnvironment: staging\nStatus: Investigating\nImpact: /);
    // The batches ran before validation: the content is back, and the report must say how to undo that.
    expect(await contents(t.s3, t.world.buckets.content)).toEqual(asContents(sampleSite('v1')));

    const report = await reportOf(t, 'restore', run);
    expect(report).toMatchObject({ status: 'FAILED', error: { name: 'ValidationFailed' }, reason, requestedBy });
    const undoManifest = report.outcome.plan.undoManifestUrl as string;
    expect(undoManifest).toMatch(new RegExp(`^s3://${t.world.buckets.vault}/records/restore/.*undo\\.jsonl$`));
    expect(report.undo.command).toContain(`--undo ${undoManifest}`);
    expect(report.undo.consoleInput.source).toEqual({ type: 'undo', manifest: undoManifest });
    expect(await keysUnder(t.s3, t.world.buckets.vault, undoManifest.replace(`s3://${t.world.buckets.vault}/`, ''))).toHaveLength(1);
    // Which checks failed is in the report, not only in the logs.
    const failed = (report.outcome.validation.results as Array<{ id: string; status: string }>).filter((r) => r.status === 'fail').map((r) => r.id);
    expect(failed).toEqual(expect.arrayContaining(['header:strict-transport-security', 'header:x-content-type-options']));
  });

  it('a batch keeps failing (ExecutionFailed): retried as the definition says, then reported with the original error', async () => {
    const { corrupted } = await corrupt(t.s3, t.world.buckets.content);
    const before = await allVersions(t.s3, t.world.buckets.content);
    let attempts = 0;
    const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'pointInTime', at: v1At }, reason, requestedBy }, {
      handlerOverrides: {
        ExecuteBatch: () => {
          attempts++;
          throw new ExecutionFailed([{ key: corrupted[0], error: 'SlowDown: please reduce your request rate' }]);
        },
      },
    });

    expect(ending(run)).toEqual({ status: 'FAILED', error: 'ExecutionFailed' });
    // One attempt and the two retries the definition allows for ExecutionFailed.
    expect(attempts).toBe(3);
    expect(run.retries.ExecuteBatch).toBe(2);
    expect(run.visitedStates).toEqual(expect.arrayContaining(['Plan', 'ExecuteBatches', ...FAILURE_FRAME]));
    expect(run.visitedStates).not.toContain('Invalidate');
    expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(before);

    const report = await reportOf(t, 'restore', run);
    expect(report).toMatchObject({ status: 'FAILED', error: { name: 'ExecutionFailed' } });
    expect(report.error.cause).toContain('SlowDown');
    expect(report.undo.command).toContain(`--undo ${report.outcome.plan.undoManifestUrl}`);
    expect(run.notifications.map((n) => n.stateName)).toEqual(['NotifyProgress', 'NotifyFailure']);
  });
});

it('a dry run plans and reports, and changes nothing', async () => {
  await corrupt(t.s3, t.world.buckets.content);
  const before = await allVersions(t.s3, t.world.buckets.content);
  const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'pointInTime', at: v1At }, dryRun: true, reason, requestedBy });

  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.plan.operations).toBe(5);
  expect(run.output.outcome.plan.diff).toContain('index.html');
  expect(run.visitedStates).not.toContain('ExecuteBatches');
  expect(run.visitedStates).not.toContain('RequestApproval');
  expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(before);
  const report = await reportOf(t, 'restore', run);
  // Nothing to undo and nothing recovered: no undo command, no RTO.
  expect(report.undo).toBeUndefined();
  expect(report.rto).toBeUndefined();
});

describe('approval (prod: SITEDR_APPROVAL_REQUIRED true) waits for the task token', () => {
  const approvalRequired = { SITEDR_APPROVAL_REQUIRED: 'true' };

  it('approved: the request names the plan and how to answer, then the restore executes', async () => {
    await corrupt(t.s3, t.world.buckets.content);
    const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'pointInTime', at: v1At }, reason, requestedBy }, { settings: approvalRequired, approval: 'approve' });

    expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
    expect(run.visitedStates.indexOf('RequestApproval')).toBeLessThan(run.visitedStates.indexOf('ExecuteBatches'));
    const request = run.notifications.find((n) => n.stateName === 'RequestApproval')!;
    expect(request.subject).toBe('Approval needed: restore staging');
    expect(request.message).toContain(`${requestedBy} asks to run restore on staging: "${reason}"`);
    expect(request.message).toMatch(/sitedr approve \S+/);
    expect(run.output.outcome.approval).toEqual({ approvedBy: 'local', approved: true });
    expect(await contents(t.s3, t.world.buckets.content)).toEqual(asContents(sampleSite('v1')));
  });

  it('rejected: FAILED with ApprovalRejected, reported, and nothing changed', async () => {
    await corrupt(t.s3, t.world.buckets.content);
    const before = await allVersions(t.s3, t.world.buckets.content);
    const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'pointInTime', at: v1At }, reason, requestedBy }, { settings: approvalRequired, approval: 'reject' });

    expect(ending(run)).toEqual({ status: 'FAILED', error: 'ApprovalRejected' });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['RequestApproval', ...FAILURE_FRAME]));
    expect(run.visitedStates).not.toContain('ExecuteBatches');
    expect(await allVersions(t.s3, t.world.buckets.content)).toEqual(before);
    const report = await reportOf(t, 'restore', run);
    expect(report).toMatchObject({ status: 'FAILED', error: { name: 'ApprovalRejected' } });
  });

  it('a drill target needs no approval: it never touches the live site', async () => {
    // moto never replicates: put what the replica would hold there ourselves.
    await publish(t.s3, t.world.buckets.replica, sampleSite('v1'));
    const run = await runRunbook(t.world, t.runbooks, 'restore', { source: { type: 'replica' }, target: 'drill', reason, requestedBy }, { settings: approvalRequired });
    expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
    expect(outputOf(run, 'Prepare').run.approvalRequired).toBe(false);
    expect(run.visitedStates).not.toContain('RequestApproval');
    expect(await contents(t.s3, t.world.buckets.drill)).toEqual(asContents(sampleSite('v1')));
  });
});
