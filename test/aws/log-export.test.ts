/**
 * Log export against moto, which implements CreateExportTask synchronously: the task is COMPLETED
 * on return and the events of [from, to] are written to the bucket as
 * `<prefix>/<uuid>/<stream>/000000.gz` (plus an `aws-logs-write-test` probe object, as AWS does).
 * moto has no one-active-export limit, so LimitExceededException is played by aws-sdk-client-mock.
 */
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeExportTasksCommand,
  LimitExceededException,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { exportTaskStatus, startLogExport } from '../../lambda/aws/log-export';
import { logExportPrefix } from '../../lambda/core/log-export-paths';
import { ExportInProgress } from '../../lambda/shared/errors';
import { createVault, readBody, testClient } from '../support/s3';

const logs = new CloudWatchLogsClient({ region: 'us-east-1' });
let s3: S3Client;
let vault: string;

beforeAll(async () => {
  s3 = testClient();
  vault = await createVault(s3, 'logvault');
});
afterAll(() => {
  logs.destroy();
  s3.destroy();
});

async function logGroupWith(events: Array<{ at: number; message: string }>): Promise<string> {
  const name = `/aws/lambda/sitedr-${randomBytes(4).toString('hex')}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: '2025/01/01/[$LATEST]abc' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: name, logStreamName: '2025/01/01/[$LATEST]abc', logEvents: events.map((e) => ({ timestamp: e.at, message: e.message })) }));
  return name;
}

describe('against moto', () => {
  test('exports the events of [from, to] under logs/YYYY/MM/DD/<group> in the vault, and reports COMPLETED', async () => {
    const now = Date.now();
    const from = new Date(now - 3 * 3600_000);
    const to = new Date(now - 3600_000);
    const group = await logGroupWith([
      { at: now - 2 * 3600_000, message: 'inside the range' },
      { at: now - 30 * 60_000, message: 'after the range' },
    ]);

    const started = await startLogExport(logs, { logGroupName: group, destinationBucket: vault, from, to, taskName: 'weekly-exec-1' });
    expect(started.created).toBe(true);
    expect(started.destinationPrefix).toBe(logExportPrefix(group, to));
    expect(started.destinationPrefix).toMatch(/^logs\/\d{4}\/\d{2}\/\d{2}\/aws-lambda-sitedr-[0-9a-f]{8}$/);

    await expect(exportTaskStatus(logs, started.taskId)).resolves.toBe('COMPLETED');

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: `${started.destinationPrefix}/` }));
    const keys = (listed.Contents ?? []).map((c) => c.Key!);
    expect(keys).toHaveLength(1);
    const text = gunzipSync(await readBody(s3, vault, keys[0])).toString('utf8');
    expect(text).toContain('inside the range');
    expect(text).not.toContain('after the range');
  });

  test('an explicit destinationPrefix is used as given', async () => {
    const now = Date.now();
    const group = await logGroupWith([{ at: now - 60_000, message: 'x' }]);
    const started = await startLogExport(logs, { logGroupName: group, destinationBucket: vault, destinationPrefix: 'logs/custom/here', from: new Date(now - 120_000), to: new Date(now), taskName: 't' });
    expect(started.destinationPrefix).toBe('logs/custom/here');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: 'logs/custom/here/' }));
    expect(listed.KeyCount).toBe(1);
  });

  test('a missing log group is NotFound naming logGroupName; an unknown task id is NotFound naming taskId', async () => {
    const now = Date.now();
    await expect(
      startLogExport(logs, { logGroupName: '/aws/lambda/never-ran', destinationBucket: vault, from: new Date(now - 1000), to: new Date(now), taskName: 't' }),
    ).rejects.toMatchObject({ name: 'NotFound', field: 'logGroupName' });
    await expect(exportTaskStatus(logs, 'no-such-task')).rejects.toMatchObject({ name: 'NotFound', field: 'taskId' });
  });

  test('bad input is refused before any call, naming the field', async () => {
    const t = new Date();
    const base = { logGroupName: '/g', destinationBucket: vault, from: new Date(t.getTime() - 1000), to: t, taskName: 'n' };
    await expect(startLogExport(logs, { ...base, from: t, to: t })).rejects.toMatchObject({ name: 'InvalidInput', field: 'from' });
    await expect(startLogExport(logs, { ...base, to: new Date('x') })).rejects.toMatchObject({ name: 'InvalidInput', field: 'to' });
    await expect(startLogExport(logs, { ...base, destinationBucket: '' })).rejects.toMatchObject({ name: 'InvalidInput', field: 'destinationBucket' });
    await expect(startLogExport(logs, { ...base, taskName: 'x'.repeat(513) })).rejects.toMatchObject({ name: 'InvalidInput', field: 'taskName' });
  });
});

describe('one export at a time (mocked: moto has no such limit)', () => {
  const mocked = new CloudWatchLogsClient({ region: 'us-east-1' });
  const mock = mockClient(mocked);
  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());
  const req = { logGroupName: '/aws/lambda/a', destinationBucket: 'vault', from: new Date('2025-01-06T00:00:00Z'), to: new Date('2025-01-12T23:59:59.999Z'), taskName: 'exec-7-a' };
  const limit = () => new LimitExceededException({ message: 'Resource limit exceeded.', $metadata: {} });

  test("another export running surfaces as the retryable ExportInProgress naming the other task", async () => {
    mock.on(CreateExportTaskCommand).rejects(limit());
    mock.on(DescribeExportTasksCommand, { statusCode: 'PENDING' }).resolves({ exportTasks: [] });
    mock
      .on(DescribeExportTasksCommand, { statusCode: 'RUNNING', nextToken: undefined })
      .resolves({ exportTasks: [{ taskId: 'other-1', taskName: 'someone-else', logGroupName: '/x', status: { code: 'RUNNING' } }], nextToken: 'p2' })
      .on(DescribeExportTasksCommand, { statusCode: 'RUNNING', nextToken: 'p2' })
      .resolves({ exportTasks: [] });
    const err = await startLogExport(mocked, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportInProgress);
    expect(err).toMatchObject({ name: 'ExportInProgress', logGroupName: '/aws/lambda/a', activeTaskId: 'other-1' });
    expect(mock.commandCalls(DescribeExportTasksCommand)).toHaveLength(3);
  });

  test('a retried start whose own task is still active returns that task instead of failing or duplicating it', async () => {
    mock.on(CreateExportTaskCommand).rejects(limit());
    mock.on(DescribeExportTasksCommand, { statusCode: 'PENDING' }).resolves({
      exportTasks: [{ taskId: 'mine-1', taskName: 'exec-7-a', logGroupName: '/aws/lambda/a', destinationPrefix: 'logs/2025/01/12/aws-lambda-a', status: { code: 'PENDING' } }],
    });
    mock.on(DescribeExportTasksCommand, { statusCode: 'RUNNING' }).resolves({ exportTasks: [] });
    await expect(startLogExport(mocked, req)).resolves.toEqual({ taskId: 'mine-1', destinationPrefix: 'logs/2025/01/12/aws-lambda-a', created: false });
  });

  test('the request carries epoch milliseconds and the dated prefix', async () => {
    mock.on(CreateExportTaskCommand).resolves({ taskId: 'new-1' });
    await expect(startLogExport(mocked, req)).resolves.toEqual({ taskId: 'new-1', destinationPrefix: 'logs/2025/01/12/aws-lambda-a', created: true });
    expect(mock.commandCalls(CreateExportTaskCommand)[0].args[0].input).toEqual({
      taskName: 'exec-7-a',
      logGroupName: '/aws/lambda/a',
      from: Date.parse('2025-01-06T00:00:00Z'),
      to: Date.parse('2025-01-12T23:59:59.999Z'),
      destination: 'vault',
      destinationPrefix: 'logs/2025/01/12/aws-lambda-a',
    });
  });
});
