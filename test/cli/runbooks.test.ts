/**
 * The runbook commands against moto's Step Functions executor: run (bad flags start nothing),
 * --follow on a terminal and in a log, approve and reject a run waiting on its task token,
 * status, and report. The state machines are stand-ins shaped like the runbooks (Pass and Wait
 * states where the real ones invoke Lambda, which moto cannot run), deployed under the names the
 * RunbookStack gives them, so the CLI finds them from the configuration alone.
 */
import { PutMetricDataCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { sitedrWith } from '../support/cli';
import {
  approvalTopic,
  deployRunbook,
  executionsOf,
  putVaultText,
  runbookLikeDefinition,
  TestEnvironment,
  testEnvironment,
  waitForExecution,
} from '../support/runbook-cli';

const reason = 'the index page was corrupted by a bad deploy';
const open: TestEnvironment[] = [];
afterAll(() => open.forEach((t) => t.close()));

async function env(label: string, settings: Record<string, unknown> = {}): Promise<TestEnvironment> {
  const t = await testEnvironment(label, settings);
  open.push(t);
  return t;
}

function cli(t: TestEnvironment, opts: { tty?: boolean } = {}) {
  return (...argv: string[]) => sitedrWith({ deps: t.deps, tty: opts.tty, env: { SITEDR_USER: 'oncall@example.com' } }, ...argv, ...(argv[0] === 'run' || argv[0] === 'status' ? ['--env', 'dev', '--config', t.configFile] : []));
}

/** A Markdown and a JSON report in the vault, where the stand-in Report state says they are. */
async function reports(t: TestEnvironment, name: string, status: 'SUCCEEDED' | 'FAILED') {
  const base = `reports/restore/2026-12-04-${name}`;
  const markdownUrl = await putVaultText(t, `${base}.md`, `# ${status === 'SUCCEEDED' ? '✅' : '❌'} restore ${status.toLowerCase()} — dev\n\nreport ${name}\n`);
  const reportUrl = await putVaultText(t, `${base}.json`, JSON.stringify({ format: 'sitedr-report/1', runbook: 'restore', status, runId: name }));
  return { markdownUrl, reportUrl };
}

test('bad flags exit 2 naming the flag, and start nothing', async () => {
  const t = await env('clibad');
  const machine = await deployRunbook(t, 'restore', runbookLikeDefinition({ markdownUrl: 's3://x/y.md', reportUrl: 's3://x/y.json' }));
  const run = cli(t);
  const cases: Array<[string[], string]> = [
    [['run', 'restore', '--to', '2026-12-01T10:00:00', '--reason', reason], '--to'],
    [['run', 'restore', '--replica', '--reason', 'short'], '--reason'],
    [['run', 'restore', '--replica', '--to', '2026-12-01T10:00:00Z', '--reason', reason], 'SOURCE'],
    [['run', 'restore', '--key', 'index.html', '--reason', reason], '--version-id'],
    [['run', 'restore', '--snapshot', 'newest', '--reason', reason], '--snapshot'],
    [['run', 'restore', '--undo', 'undo.jsonl', '--reason', reason], '--undo'],
  ];
  for (const [argv, flag] of cases) {
    const human = await run(...argv);
    expect([human.code, human.stdout]).toEqual([2, '']);
    expect(human.stderr).toContain(`sitedr run restore: InvalidInput (${flag}): `);
    const json = await run(...argv, '--json');
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ command: 'run restore', ok: false, error: { name: 'InvalidInput', field: flag } });
  }
  // Commander's own checks (malformed numbers, unknown options) are bad input too.
  expect((await run('run', 'validate', '--watch', 'ten')).code).toBe(2);
  expect((await run('run', 'restore', '--replica', '--reason', reason, '--bucket', 'b')).code).toBe(2);
  // An environment that is not configured, or no environment at all.
  const other = await sitedrWith({ deps: t.deps }, 'run', 'restore', '--replica', '--reason', reason, '--env', 'prod', '--config', t.configFile);
  expect([other.code, other.stderr]).toEqual([2, expect.stringMatching(/InvalidInput \(--env\): env: "prod" is not configured; expected one of dev/)]);
  const none = await sitedrWith({ deps: t.deps }, 'run', 'restore', '--replica', '--reason', reason, '--config', t.configFile);
  expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('(--env)')]);
  expect(await executionsOf(t, machine)).toEqual([]);
});

test('a runbook that is not deployed: exit 2 naming the environment and the state machine', async () => {
  const t = await env('clinodep');
  const res = await cli(t)('run', 'drill');
  expect(res.code).toBe(2);
  expect(res.stderr).toContain(`NotFound (--env): runbook drill is not deployed in environment dev: no state machine ${t.config.prefix}-drill in account ${t.account}, region us-west-2`);
  // failover exists only with a domain: the error says so.
  expect((await cli(t)('run', 'failover', '--reason', reason)).stderr).toContain('the failover runbook exists only for environments with a domain');
});

test('run starts an execution of the named state machine with the built input and prints where to watch it', async () => {
  const t = await env('clirun');
  const machine = await deployRunbook(t, 'backup', { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
  const res = await cli(t)('run', 'backup', '--release', 'v42', '--commit', 'abc1234', '--json');
  expect(res.code).toBe(0);
  const doc = res.json<{ executionArn: string; consoleUrl: string }>();
  expect(doc).toEqual({
    ok: true,
    command: 'run backup',
    environment: 'dev',
    runbook: 'backup',
    stateMachineArn: machine,
    executionArn: expect.stringMatching(new RegExp(`^arn:aws:states:us-west-2:${t.account}:execution:${t.config.prefix}-backup:backup-\\d{8}T\\d{6}Z-[0-9a-f]{4}$`)),
    name: expect.stringMatching(/^backup-/),
    startDate: expect.any(String),
    consoleUrl: `https://us-west-2.console.aws.amazon.com/states/home?region=us-west-2#/v2/executions/details/${doc.executionArn}`,
    input: { mode: 'release', release: { id: 'v42', commit: 'abc1234' }, requestedBy: 'oncall@example.com' },
  });
  const described = await t.sfn.send(new DescribeExecutionCommand({ executionArn: doc.executionArn }));
  expect(described.stateMachineArn).toBe(machine);
  expect(JSON.parse(described.input!)).toEqual({ mode: 'release', release: { id: 'v42', commit: 'abc1234' }, requestedBy: 'oncall@example.com' });
  expect((await waitForExecution(t, doc.executionArn)).described.status).toBe('SUCCEEDED');
});

test('--follow in a log: one line per step, the batch count, then the report; exit 0', async () => {
  const t = await env('clifollow');
  const urls = await reports(t, 'ok', 'SUCCEEDED');
  await deployRunbook(t, 'restore', runbookLikeDefinition(urls));
  const res = await cli(t)('run', 'restore', '--replica', '--reason', reason, '--follow');
  expect(res.code).toBe(0);
  expect(res.stderr).not.toContain('\r');
  const lines = res.stderr.trim().split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, '').replace(/\(\d+\.\d s\)/, '(T)'));
  expect(lines).toEqual([
    '✓ Prepare  (T)',
    '✓ Plan  (T)',
    '✓ ExecuteBatches  2/2 batches  (T)',
    '✓ Settle  (T)',
    '✓ Report  (T)',
    expect.stringMatching(/^✓ Succeeded/),
    expect.stringMatching(/^SUCCEEDED after \d+\.\d s$/),
  ]);
  expect(res.stdout).toMatch(/^started restore in dev: arn:aws:states:.*\nhttps:\/\/us-west-2\.console\.aws\.amazon\.com\/.*\n\n# ✅ restore succeeded — dev\n\nreport ok\n$/);
});

test('--follow on a terminal: the live step and batch bar, the failure report, exit 1; --json reports the same', async () => {
  const t = await env('clifail');
  const urls = await reports(t, 'bad', 'FAILED');
  await deployRunbook(t, 'restore', runbookLikeDefinition({ ...urls, fail: true }));
  const res = await cli(t, { tty: true })('run', 'restore', '--snapshot', '--reason', reason, '--follow');
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('\r\x1b[K▶ ExecuteBatches [');
  expect(res.stderr).toMatch(/▶ ExecuteBatches \[#{12}-{12}\] 1\/2 batches · /);
  expect(res.stderr).toMatch(/▶ Settle · \d/);
  expect(res.stderr).toMatch(/✓ ReportFailure {2}\(/);
  expect(res.stderr).toMatch(/✗ Failed/);
  expect(res.stderr).toContain(': VerificationFailed: 1 key(s) differ from the plan');
  // The report of a failed run comes from its history (a failed execution has no output).
  expect(res.stdout).toContain('# ❌ restore failed — dev\n\nreport bad\n');

  const t2 = await env('clifailjson');
  const urls2 = await reports(t2, 'bad2', 'FAILED');
  await deployRunbook(t2, 'restore', runbookLikeDefinition({ ...urls2, fail: true, batches: 1 }));
  const json = await cli(t2)('run', 'restore', '--snapshot', '--reason', reason, '--follow', '--json');
  expect(json.code).toBe(1);
  expect(json.json()).toMatchObject({ ok: false, command: 'run restore', status: 'FAILED', error: { error: 'VerificationFailed', cause: '1 key(s) differ from the plan' }, report: { status: 'FAILED', ...urls2 } });
});

test('--follow counts a Distributed Map by its Map Run (its children are not in the history)', async () => {
  const t = await env('clidmap');
  const urls = await reports(t, 'dmap', 'SUCCEEDED');
  // The plan index the restore's ExecuteBatchesDistributed reads (definitions.ts), three batches.
  await putVaultText(t, 'records/restore/runs/r/batches.json', JSON.stringify([{ index: 0 }, { index: 1 }, { index: 2 }]));
  await deployRunbook(t, 'restore', {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: { runId: 'r' }, ResultPath: '$.run', Next: 'ExecuteBatchesDistributed' },
      ExecuteBatchesDistributed: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: t.config.bucketNames.vault, Key: 'records/restore/runs/r/batches.json' } },
        ItemSelector: { 'batch.$': '$$.Map.Item.Value' },
        MaxConcurrency: 1,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'ExecuteBatchDistributed', States: { ExecuteBatchDistributed: { Type: 'Wait', Seconds: 1, End: true } } },
        ResultPath: '$.outcome.executed',
        Next: 'Report',
      },
      Report: { Type: 'Pass', Result: { status: 'SUCCEEDED', ...urls }, ResultPath: '$.report', End: true },
    },
  });
  const res = await cli(t, { tty: true })('run', 'restore', '--release', 'v42', '--reason', reason, '--follow');
  expect(res.code).toBe(0);
  // moto's Map Run counts its total as it reads items (1/2, then 2/3): the bar moves with it.
  expect(res.stderr).toMatch(/▶ ExecuteBatchesDistributed \[#+-+\] [12]\/[23] batches · /);
  // The summary line has the Map Run's final counts, read after the Map ended.
  expect(res.stderr).toMatch(/✓ ExecuteBatchesDistributed {2}3\/3 batches {2}\(/);
  expect(res.stderr).not.toContain('0/0');
  expect(res.stdout).toContain('report dmap');
});

test('status shows the runs, the newest backup against the RPO, replication, the last drill and the open approval; approve lets the run go on', async () => {
  const t = await env('cliappr');
  const urls = await reports(t, 'appr', 'SUCCEEDED');
  const machine = await deployRunbook(t, 'restore', runbookLikeDefinition({ ...urls, approvalTopicArn: await approvalTopic(), batches: 1 }));
  await deployRunbook(t, 'backup', { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
  // Two snapshots: a completed one 5 minutes old, and a newer one that never wrote its manifest.
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('.', '');
  const completed = `${stamp(new Date(Date.now() - 5 * 60_000))}-aaaaaa`;
  await putVaultText(t, `snapshots/${completed}/manifest.jsonl`, '{}\n');
  await putVaultText(t, `snapshots/${stamp(new Date(Date.now() - 60_000))}-bbbbbb/objects/index.html`, 'x');
  await putVaultText(t, 'reports/drill/2026-11-02-drill-old.json', JSON.stringify({ status: 'SUCCEEDED', startedAt: '2026-11-02T06:00:00.000Z', rto: { minutes: 50, targetMinutes: 1440, met: true } }));
  await putVaultText(t, 'reports/drill/2026-12-01-drill-new.json', JSON.stringify({ status: 'SUCCEEDED', startedAt: '2026-12-01T06:00:00.000Z', rto: { minutes: 12.5, targetMinutes: 1440, met: true }, rpo: { minutes: 200, targetMinutes: 1440, met: true } }));
  const cw = new CloudWatchClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: 'us-east-1' });
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/S3',
      MetricData: [
        {
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'SourceBucket', Value: t.config.bucketNames.content },
            { Name: 'DestinationBucket', Value: t.config.bucketNames.replica },
            { Name: 'RuleId', Value: 'replicate-everything' },
          ],
          Value: 42,
          Timestamp: new Date(Date.now() - 60_000),
        },
      ],
    }),
  );
  cw.destroy();

  const started = (await cli(t)('run', 'restore', '--replica', '--reason', reason, '--json')).json<{ executionArn: string }>();
  await waitForExecution(t, started.executionArn, (events) => events.some((e) => e.type === 'TaskScheduled'));

  const status = await cli(t)('status', '--json');
  expect(status.code).toBe(0);
  const s = status.json<Record<string, any>>();
  expect(s.runbooks.find((r: { runbook: string }) => r.runbook === 'restore')).toEqual({
    runbook: 'restore',
    stateMachine: machine,
    deployed: true,
    runs: [{ name: expect.stringMatching(/^restore-/), executionArn: started.executionArn, status: 'RUNNING', startedAt: expect.any(String), durationSeconds: expect.any(Number) }],
  });
  expect(s.runbooks.find((r: { runbook: string }) => r.runbook === 'backup')).toMatchObject({ deployed: true, runs: [] });
  expect(s.runbooks.find((r: { runbook: string }) => r.runbook === 'drill')).toMatchObject({ deployed: false });
  expect(s.backup).toEqual({ ok: true, value: { snapshotId: completed, takenAt: expect.any(String), ageMinutes: expect.any(Number), limitMinutes: 1500, withinLimit: true } });
  expect(s.backup.value.ageMinutes).toBeGreaterThanOrEqual(5);
  expect(s.replication).toEqual({ ok: true, value: { maxLatencySeconds: 42, limitSeconds: 900, withinLimit: true } });
  expect(s.drill).toEqual({ ok: true, value: { reportUrl: `s3://${t.config.bucketNames.vault}/reports/drill/2026-12-01-drill-new.json`, status: 'SUCCEEDED', startedAt: '2026-12-01T06:00:00.000Z', rto: { minutes: 12.5, targetMinutes: 1440, met: true }, rpo: { minutes: 200, targetMinutes: 1440, met: true } } });
  expect(s.approvals.value).toEqual([
    { runbook: 'restore', name: expect.any(String), executionArn: started.executionArn, waitingSince: expect.any(String), token: expect.any(String), approve: expect.stringMatching(/^sitedr approve \S+ --env dev$/), reject: expect.any(String) },
  ]);
  const human = await cli(t)('status');
  expect(human.stdout).toContain(`Newest backup: ✓ ${completed}`);
  expect(human.stdout).toContain('Replication latency: ✓ max 42 s in the last hour (limit 900 s)');
  expect(human.stdout).toContain('Last drill: SUCCEEDED 2026-12-01 06:00:00Z; RTO 12.5 min (target < 1440) ✓; RPO 200 min (target < 1440) ✓');
  expect(human.stdout).toContain(`    ${s.approvals.value[0].approve}\n`);

  // No report while the run waits.
  const early = await sitedrWith({ deps: t.deps }, 'report', started.executionArn);
  expect([early.code, early.stderr]).toEqual([1, expect.stringMatching(/^sitedr report: NoReport: execution .* is RUNNING and has no report yet/)]);

  const token: string = s.approvals.value[0].token;
  const approved = await sitedrWith({ deps: t.deps }, 'approve', token, '--by', 'alice', '--env', 'dev', '--config', t.configFile, '--json');
  expect(approved.code).toBe(0);
  expect(approved.json()).toEqual({ command: 'approve', ok: true, approvedBy: 'alice', approvedAt: expect.any(String) });
  const done = await waitForExecution(t, started.executionArn);
  expect(done.described.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.described.output!).outcome.approval).toEqual({ approvedBy: 'alice', approvedAt: approved.json<{ approvedAt: string }>().approvedAt });
  expect((await cli(t)('status', '--json')).json<{ approvals: unknown }>().approvals).toEqual({ ok: true, value: [] });

  // The run's report, by its ARN alone.
  const report = await sitedrWith({ deps: t.deps }, 'report', started.executionArn);
  expect([report.code, report.stdout]).toEqual([0, '# ✅ restore succeeded — dev\n\nreport appr\n']);
  const reportJson = await sitedrWith({ deps: t.deps }, 'report', started.executionArn, '--json');
  expect(reportJson.json()).toEqual({ command: 'report', ok: true, executionArn: started.executionArn, status: 'SUCCEEDED', ...urls, report: { format: 'sitedr-report/1', runbook: 'restore', status: 'SUCCEEDED', runId: 'appr' } });
});

test('reject needs a reason, then fails the waiting run with ApprovalRejected', async () => {
  const t = await env('clirej');
  const urls = await reports(t, 'rej', 'FAILED');
  await deployRunbook(t, 'restore', runbookLikeDefinition({ ...urls, approvalTopicArn: await approvalTopic(), batches: 1 }));
  const started = (await cli(t)('run', 'restore', '--replica', '--reason', reason, '--json')).json<{ executionArn: string }>();
  await waitForExecution(t, started.executionArn, (events) => events.some((e) => e.type === 'TaskScheduled'));
  const token: string = (await cli(t)('status', '--json')).json<{ approvals: { value: Array<{ token: string }> } }>().approvals.value[0].token;

  const noReason = await sitedrWith({ deps: t.deps }, 'reject', token, '--env', 'dev', '--config', t.configFile);
  expect([noReason.code, noReason.stderr]).toEqual([2, expect.stringMatching(/^sitedr reject: InvalidInput \(--reason\): --reason is required\n/)]);
  expect((await t.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');

  // moto 5.2.1 drops SendTaskFailure's cause (responses.py reads only the error): record what the CLI sends.
  const sent: unknown[] = [];
  const recording = {
    ...t.deps.clients!,
    sfn: (region: string) => {
      const client = t.deps.clients!.sfn(region);
      client.middlewareStack.add((next, context) => async (args) => {
        if (context.commandName === 'SendTaskFailureCommand') sent.push(args.input);
        return next(args);
      });
      return client;
    },
  };
  const rejected = await sitedrWith({ deps: { ...t.deps, clients: recording } }, 'reject', token, '--reason', 'the plan hides too many pages', '--env', 'dev', '--config', t.configFile);
  expect([rejected.code, rejected.stdout]).toEqual([0, 'rejected: the run fails with ApprovalRejected and reports what it had done so far\n']);
  const done = await waitForExecution(t, started.executionArn);
  expect(done.described.status).toBe('FAILED');
  expect(sent).toEqual([{ taskToken: token, error: 'ApprovalRejected', cause: 'the plan hides too many pages' }]);
  // What the runbook's Catch hands its failure report: the error the approval failed with.
  const reportInput = done.events.find((e) => e.stateEnteredEventDetails?.name === 'ReportFailure')!.stateEnteredEventDetails!.input!;
  expect(JSON.parse(reportInput).error).toMatchObject({ Error: 'ApprovalRejected' });
  // A failed run's report is found through its history.
  expect((await sitedrWith({ deps: t.deps }, 'report', started.executionArn)).stdout).toContain('report rej');
});

test('status of an environment with nothing deployed, and report of an unknown execution', async () => {
  const t = await env('cliempty');
  const s = (await cli(t)('status', '--json')).json<Record<string, any>>();
  expect(s.runbooks.every((r: { deployed: boolean }) => !r.deployed)).toBe(true);
  expect(s.backup.value).toEqual({ snapshotId: null, takenAt: null, ageMinutes: null, limitMinutes: 1500, withinLimit: false });
  expect(s.replication.value).toEqual({ maxLatencySeconds: null, limitSeconds: 900, withinLimit: null });
  expect([s.drill.value, s.approvals.value]).toEqual([null, []]);
  expect((await cli(t)('status')).stdout).toContain('Replication latency: no data in the last hour');
  const missing = await sitedrWith({ deps: t.deps }, 'report', `arn:aws:states:us-west-2:${t.account}:execution:${t.config.prefix}-restore:nope`);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('NotFound (EXECUTION_ARN)');
  expect((await sitedrWith({ deps: t.deps }, 'report', 'not-an-arn')).code).toBe(2);
});
