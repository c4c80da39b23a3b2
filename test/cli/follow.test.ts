/** The pure parts of `--follow`, `status` and `report`: history events -> progress -> lines. No AWS. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { approvalTokenIn, progressFromEvents, statusLine, stepLines, withMapRunCounts } from '../../cli/follow';
import { consoleUrl, executionName, findReport, stateMachineArn } from '../../cli/runbooks';
import { EnvironmentStatus, REPLICATION_RULE_ID, renderStatus } from '../../cli/status';
import { REPLICATION_RULE_ID as SITE_RULE_ID } from '../../lib/constructs/site-bucket';
import { parseConfig } from '../../lib/config';

const T0 = Date.parse('2026-12-04T10:00:00Z');
/** A history builder: events one second apart unless told otherwise. */
function history() {
  const events: HistoryEvent[] = [];
  let t = T0;
  const add = (type: string, details: Partial<HistoryEvent> = {}, seconds = 1) => {
    t += seconds * 1000;
    events.push({ id: events.length + 1, type: type as HistoryEvent['type'], timestamp: new Date(t), ...details } as HistoryEvent);
    return api;
  };
  const api = {
    events,
    add,
    enter: (name: string, kind = 'Task', seconds = 1) => add(`${kind}StateEntered`, { stateEnteredEventDetails: { name } }, seconds),
    exit: (name: string, kind = 'Task', output?: unknown, seconds = 1) => add(`${kind}StateExited`, { stateExitedEventDetails: { name, output: output === undefined ? undefined : JSON.stringify(output) } }, seconds),
    step: (name: string, kind = 'Task') => api.enter(name, kind).exit(name, kind),
  };
  add('ExecutionStarted', {}, 0);
  return api;
}

describe('progressFromEvents', () => {
  test('top-level steps in order; states inside Map iterations move the batch counter, not the step', () => {
    const h = history().step('Prepare').step('Plan').enter('ExecuteBatches', 'Map');
    expect(statusLine(progressFromEvents(h.events), new Date(T0 + 6000))).toBe('▶ ExecuteBatches · starting batches · 1.0 s');
    h.add('MapStateStarted', { mapStateStartedEventDetails: { length: 4 } });
    for (const i of [0, 1, 2]) {
      h.add('MapIterationStarted', { mapIterationStartedEventDetails: { name: 'ExecuteBatches', index: i } });
      h.enter('ExecuteBatch').exit('ExecuteBatch');
    }
    h.add('MapIterationSucceeded', { mapIterationSucceededEventDetails: { name: 'ExecuteBatches', index: 0 } });
    h.add('MapIterationFailed', { mapIterationFailedEventDetails: { name: 'ExecuteBatches', index: 1 } });
    const s = progressFromEvents(h.events);
    expect(s.status).toBe('RUNNING');
    expect(s.steps.map((x) => [x.name, x.status])).toEqual([
      ['Prepare', 'succeeded'],
      ['Plan', 'succeeded'],
      ['ExecuteBatches', 'running'],
    ]);
    expect(s.batches).toEqual({ step: 'ExecuteBatches', distributed: false, total: 4, succeeded: 1, failed: 1 });
    expect(statusLine(s, new Date(T0 + 60_000))).toMatch(/^▶ ExecuteBatches \[#{12}-{12}\] 2\/4 batches \(1 failed\) · \d+\.\d s$/);
  });

  test('a Distributed Map is counted by its Map Run', () => {
    const h = history().step('Plan').enter('ExecuteBatchesDistributed', 'Map');
    h.add('MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: 'arn:aws:states:us-west-2:1:mapRun:m/r' } });
    const s = progressFromEvents(h.events);
    expect(s.batches).toMatchObject({ distributed: true, mapRunArn: 'arn:aws:states:us-west-2:1:mapRun:m/r' });
    const counted = withMapRunCounts(s, { total: 1000, succeeded: 250, failed: 0 });
    expect(statusLine(counted, new Date(T0 + 10_000))).toContain('[######------------------] 250/1000 batches');
  });

  test('the approval token from the RequestApproval message, kept in the step log after the step', () => {
    const token = 'AQB4AAAAKgAAAAMAAAAA+token/with=chars';
    const message = `alice asks to run restore on dev: "x".\nPlan: ...\n\nApprove:  sitedr approve ${token}\nReject:   sitedr reject ${token} --reason "..."`;
    expect(approvalTokenIn(message)).toBe(token);
    const h = history().step('Plan').enter('RequestApproval');
    h.add('TaskScheduled', { taskScheduledEventDetails: { resourceType: 'sns', resource: 'publish.waitForTaskToken', region: 'us-west-2', parameters: JSON.stringify({ TopicArn: 't', Message: message }) } });
    const waiting = progressFromEvents(h.events);
    expect(waiting.approvalToken).toBe(token);
    expect(statusLine(waiting, new Date(T0 + 5000))).toMatch(/^▶ RequestApproval · waiting for approval/);
    const lines = stepLines(waiting);
    expect(lines[lines.length - 1]).toContain(`waiting for approval: sitedr approve ${token}`);

    h.exit('RequestApproval').enter('ExecuteBatches', 'Map');
    const approved = progressFromEvents(h.events);
    expect(approved.approvalToken).toBeUndefined();
    // Append-only: what was printed while waiting is still the start of the log.
    expect(stepLines(approved).slice(0, lines.length)).toEqual(lines);
  });

  test('a failed run: the step that failed, the error, and an append-only log', () => {
    const h = history().step('Prepare').enter('Verify');
    // A first attempt fails and is retried: not a failure of the step.
    h.add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: 'ExecutionFailed', cause: 'x' } }, 0);
    h.add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: '{}' } }, 0);
    expect(progressFromEvents(h.events).steps[1].failing).toBe(false);
    h.add('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: 'VerificationFailed', cause: 'x' } });
    h.exit('Verify').step('ReportFailure').enter('Failed', 'Fail');
    const before = stepLines(progressFromEvents(h.events));
    h.add('ExecutionFailed', { executionFailedEventDetails: { error: 'VerificationFailed', cause: '1 key(s) differ' } });
    const s = progressFromEvents(h.events);
    expect(s.status).toBe('FAILED');
    expect(s.error).toEqual({ error: 'VerificationFailed', cause: '1 key(s) differ' });
    expect(s.steps.map((x) => [x.name, x.status])).toEqual([
      ['Prepare', 'succeeded'],
      ['Verify', 'failed'],
      ['ReportFailure', 'succeeded'],
      ['Failed', 'failed'],
    ]);
    const lines = stepLines(s);
    expect(lines.slice(0, before.length)).toEqual(before);
    expect(lines).toEqual([
      '10:00:02  ✓ Prepare  (1.0 s)',
      '10:00:05  ✗ Verify  (2.0 s)',
      '10:00:07  ✓ ReportFailure  (1.0 s)',
      '10:00:09  ✗ Failed  (1.0 s)',
      'FAILED after 9.0 s: VerificationFailed: 1 key(s) differ',
    ]);
    expect(statusLine(s, new Date())).toBe('');
  });

  test('a caught failure without an exit event still ends its step, as failed, when the next one starts', () => {
    const h = history().step('Prepare').enter('RequestApproval');
    h.add('TaskFailed', { taskFailedEventDetails: { resourceType: 'sns', resource: 'publish.waitForTaskToken', error: 'ApprovalRejected' } });
    h.enter('ReportFailure');
    const s = progressFromEvents(h.events);
    expect(s.steps.map((x) => [x.name, x.status])).toEqual([
      ['Prepare', 'succeeded'],
      ['RequestApproval', 'failed'],
      ['ReportFailure', 'running'],
    ]);
    expect(stepLines(s)).toEqual(['10:00:02  ✓ Prepare  (1.0 s)', '10:00:05  ✗ RequestApproval  (2.0 s)']);
  });

  test('a succeeded run ends with the Map summary and the result', () => {
    const h = history().step('Prepare').enter('ExecuteBatches', 'Map');
    h.add('MapStateStarted', { mapStateStartedEventDetails: { length: 2 } });
    h.add('MapIterationSucceeded', { mapIterationSucceededEventDetails: { name: 'ExecuteBatches', index: 0 } });
    h.add('MapIterationSucceeded', { mapIterationSucceededEventDetails: { name: 'ExecuteBatches', index: 1 } });
    h.exit('ExecuteBatches', 'Map').step('Report', 'Pass').enter('Succeeded', 'Succeed').add('ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } });
    expect(stepLines(progressFromEvents(h.events))).toEqual([
      '10:00:02  ✓ Prepare  (1.0 s)',
      '10:00:07  ✓ ExecuteBatches  2/2 batches  (4.0 s)',
      '10:00:09  ✓ Report  (1.0 s)',
      '10:00:11  ✓ Succeeded  (1.0 s)',
      'SUCCEEDED after 11.0 s',
    ]);
  });
});

describe('findReport', () => {
  const ref = { status: 'FAILED', reportUrl: 's3://v/reports/restore/r.json', markdownUrl: 's3://v/reports/restore/r.md' };
  test('from the execution output, else from the report task in the history', () => {
    expect(findReport(JSON.stringify({ report: { ...ref, status: 'SUCCEEDED' } }), [])).toMatchObject({ status: 'SUCCEEDED' });
    // A failed execution has no output: the ReportFailure task's own result (payloadResponseOnly Lambda).
    const lambda = history().enter('ReportFailure').add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(ref) } });
    expect(findReport(undefined, lambda.events)).toEqual(ref);
    // Or the state's exit output ($.report); a Task envelope's Payload works too.
    expect(findReport(undefined, history().enter('ReportFailure', 'Pass').exit('ReportFailure', 'Pass', { report: ref }).events)).toEqual(ref);
    expect(findReport(undefined, history().enter('Report').add('TaskSucceeded', { taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: JSON.stringify({ Payload: ref }) } }).events)).toEqual(ref);
    // Other tasks' results are not reports.
    expect(findReport(undefined, history().enter('Plan').add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(ref) } }).events)).toBeUndefined();
  });
});

describe('names and links', () => {
  const config = parseConfig({ project: 'example-site', account: '123456789012', environments: { prod: {} } }, 'prod').environments[0];
  test('state machine, execution name and console link', () => {
    expect(stateMachineArn(config, 'restore')).toBe('arn:aws:states:us-west-2:123456789012:stateMachine:example-site-prod-restore');
    expect(executionName('restore', new Date('2026-12-04T10:11:12.345Z'), 'ab12')).toBe('restore-20261204T101112Z-ab12');
    expect(executionName('log-export', new Date())).toMatch(/^log-export-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    const arn = 'arn:aws:states:us-west-2:123456789012:execution:example-site-prod-restore:restore-20261204T101112Z-ab12';
    expect(consoleUrl(arn)).toBe(`https://us-west-2.console.aws.amazon.com/states/home?region=us-west-2#/v2/executions/details/${arn}`);
  });
  test("status reads the replication metric of the site bucket's rule", () => {
    expect(REPLICATION_RULE_ID).toBe(SITE_RULE_ID);
  });
});

describe('renderStatus', () => {
  const base: EnvironmentStatus = {
    environment: 'prod',
    region: 'us-west-2',
    objectives: { rtoMinutes: 60, rpoMinutes: 15 },
    runbooks: [
      { runbook: 'backup', stateMachine: 'arn:b', deployed: true, runs: [{ name: 'backup-1', executionArn: 'arn:e1', status: 'SUCCEEDED', startedAt: '2026-12-04T09:00:00.000Z', stoppedAt: '2026-12-04T09:01:30.000Z', durationSeconds: 90 }] },
      { runbook: 'restore', stateMachine: 'arn:r', deployed: true, runs: [] },
      { runbook: 'failover', stateMachine: 'arn:f', deployed: false, runs: [] },
    ],
    backup: { ok: true, value: { snapshotId: '20261204T090000000Z-abcdef', takenAt: '2026-12-04T09:00:00.000Z', ageMinutes: 1600, limitMinutes: 1500, withinLimit: false } },
    replication: { ok: true, value: { maxLatencySeconds: null, limitSeconds: 900, withinLimit: null } },
    drill: { ok: true, value: { reportUrl: 's3://v/reports/drill/x.json', status: 'SUCCEEDED', startedAt: '2026-12-01T06:00:00.000Z', rto: { minutes: 12.5, targetMinutes: 60, met: true }, rpo: { minutes: 180, targetMinutes: 15, met: false } } },
    approvals: { ok: true, value: [{ runbook: 'restore', name: 'restore-1', executionArn: 'arn:x', waitingSince: '2026-12-04T09:30:00.000Z', token: 'TOK', approve: 'sitedr approve TOK --env prod', reject: 'sitedr reject TOK --env prod --reason "..."' }] },
  };
  test('every part, with what is off marked', () => {
    const text = renderStatus(base);
    expect(text).toContain('  backup           SUCCEEDED 2026-12-04 09:00:00Z  1 min 30 s   backup-1');
    expect(text).toContain('  restore          no runs yet');
    expect(text).toContain('  failover         not deployed');
    expect(text).toContain('Newest backup: ✗ 20261204T090000000Z-abcdef, 26 h 40 min old (daily backups: limit 25 h 0 min: EXCEEDED)');
    expect(text).toContain('Replication latency: no data in the last hour');
    expect(text).toContain('Last drill: SUCCEEDED 2026-12-01 06:00:00Z; RTO 12.5 min (target < 60) ✓; RPO 180 min (target < 15) ✗');
    expect(text).toContain('    sitedr approve TOK --env prod');
  });
  test('a part that cannot be read says so; the rest is still shown', () => {
    const text = renderStatus({ ...base, replication: { ok: false, error: 'UnknownEndpoint: us-east-1 is unreachable' } });
    expect(text).toContain('Replication latency: cannot read CloudWatch: UnknownEndpoint: us-east-1 is unreachable');
    expect(text).toContain('Last drill: SUCCEEDED');
  });
});
