/**
 * The log-export runbook end to end against moto's CloudWatch Logs, whose CreateExportTask
 * completes at once and writes the events into the bucket: every log group the definition lists
 * is exported, one after the other, under logs/YYYY/MM/DD/ in the vault.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logExportPrefix } from '../../lambda/core/log-export-paths';
import { runRunbook } from '../../local/runbooks';
import { causeMessage, ending, FAILURE_FRAME, outputOf, reportOf, timesVisited } from './runs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { keysUnder, setUpWorld, TestWorld } from './world';

let t: TestWorld;
let logs: CloudWatchLogsClient;
let logGroups: string[];
// A window around now: moto exports the events whose timestamps fall inside it.
const to = new Date(Date.now() + 60_000);
const from = new Date(Date.now() - 3_600_000);
const window = { from: from.toISOString(), to: to.toISOString() };

beforeAll(async () => {
  t = await setUpWorld('e2elogs');
  logs = new CloudWatchLogsClient({});
  // The log groups as the deployed definition lists them (the LogGroups Pass state), not a copy.
  const definition = t.runbooks.machines.get(`${t.world.config.prefix}-log-export`)!.definition as { States: Record<string, { Result?: unknown }> };
  logGroups = definition.States.LogGroups.Result as string[];
  expect(logGroups.length).toBeGreaterThan(0);
  for (const logGroupName of logGroups) {
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'local' }));
    await logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 'local', logEvents: [{ timestamp: Date.now(), message: `event of ${logGroupName}` }] }));
  }
});
afterAll(async () => {
  for (const logGroupName of logGroups) await logs.send(new DeleteLogGroupCommand({ logGroupName })).catch(() => undefined);
  logs.destroy();
  await t.close();
});

it('exports every listed log group into the vault under logs/YYYY/MM/DD/, one at a time, polled to completion', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'log-export', window);
  expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
  expect(run.output.outcome.window).toEqual(window);
  const exports = run.output.outcome.exports as Array<{ logGroupName: string; taskId: string; destinationPrefix: string }>;
  expect(exports.map((e) => e.logGroupName)).toEqual(logGroups);
  expect(timesVisited(run, 'StartExport')).toBe(logGroups.length);
  expect(timesVisited(run, 'Exported')).toBe(logGroups.length);

  const day = to.toISOString().slice(0, 10).replace(/-/g, '/');
  for (const e of exports) {
    expect(e.destinationPrefix).toBe(logExportPrefix(e.logGroupName, to));
    expect(e.destinationPrefix.startsWith(`logs/${day}/`)).toBe(true);
    const keys = await keysUnder(t.s3, t.world.buckets.vault, `${e.destinationPrefix}/`);
    expect(keys.length).toBeGreaterThan(0);
    const exported = (await Promise.all(keys.map((k) => exportedText(k)))).join('\n');
    expect(exported).toContain(`event of ${e.logGroupName}`);
  }
  expect((await reportOf(t, 'log-export', run)).status).toBe('SUCCEEDED');
});

/** An exported object's text: CloudWatch Logs (and moto) write gzip, as the .gz keys say. */
async function exportedText(key: string): Promise<string> {
  const body = Buffer.from(await (await t.s3.send(new GetObjectCommand({ Bucket: t.world.buckets.vault, Key: key }))).Body!.transformToByteArray());
  return (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
}

it('with no window given, exports the previous 7 full days (UTC)', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'log-export', {}, {
    // Only the window matters here: stop after computing it by failing the first export.
    handlerOverrides: {
      StartExport: () => {
        throw Object.assign(new Error('stop here'), { name: 'Stop' });
      },
    },
  });
  expect(run.error).toBe('Stop');
  const { from: start, to: end } = (outputOf(run, 'ExportWindow') as { outcome: { window: { from: string; to: string } } }).outcome.window;
  expect(Date.parse(end) - Date.parse(start)).toBe(7 * 24 * 3600_000 - 1);
  expect(start.endsWith('T00:00:00.000Z')).toBe(true);
  expect(Date.parse(end)).toBeLessThan(Date.now());
});

it('a log group that does not exist: NotFound naming it, in the failure report', async () => {
  const missing = logGroups[1];
  await logs.send(new DeleteLogGroupCommand({ logGroupName: missing }));
  try {
    const run = await runRunbook(t.world, t.runbooks, 'log-export', window);
    expect(ending(run)).toEqual({ status: 'FAILED', error: 'NotFound' });
    expect(run.visitedStates).toEqual(expect.arrayContaining(['ExportEach', ...FAILURE_FRAME]));
    const report = await reportOf(t, 'log-export', run);
    expect(report.error).toMatchObject({ name: 'NotFound' });
    expect(report.error.cause).toContain(`log group ${missing} does not exist`);
  } finally {
    await logs.send(new CreateLogGroupCommand({ logGroupName: missing }));
  }
});

it('bad input is rejected at Prepare', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'log-export', { from: window.from });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/^to: expected both from and to, or neither/);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
});
