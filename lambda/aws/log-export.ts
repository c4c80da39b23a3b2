/**
 * CloudWatch Logs export into the vault: start one export task, then poll it.
 *
 * AWS runs ONE export task (PENDING or RUNNING) per account at a time. The weekly runbook
 * therefore exports its log groups one after another (a Map with concurrency 1, each item
 * start -> wait -> poll), and a start refused because some other export is active surfaces as
 * ExportInProgress, which the state machine retries with backoff.
 */
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  ExportTask,
  ExportTaskStatusCode,
} from '@aws-sdk/client-cloudwatch-logs';
import { logExportPrefix } from '../core/log-export-paths';
import { ExportInProgress, InvalidInput, NotFound } from '../shared/errors';

export interface LogExportRequest {
  readonly logGroupName: string;
  /** The vault bucket. Its policy must let `logs.amazonaws.com` GetBucketAcl and PutObject under the prefix. */
  readonly destinationBucket: string;
  /** @default logExportPrefix(logGroupName, to): `logs/YYYY/MM/DD/<log group>` */
  readonly destinationPrefix?: string;
  readonly from: Date;
  /** Included: CloudWatch Logs exports events up to and including this millisecond. */
  readonly to: Date;
  /**
   * Names the task; make it the same on every retry (execution name + log group) so a retried
   * start finds the task its first attempt created instead of starting a second export.
   */
  readonly taskName: string;
}

export interface StartedLogExport {
  readonly taskId: string;
  readonly destinationPrefix: string;
  /** False when a retried start found its own task already active and returned that. */
  readonly created: boolean;
}

const ACTIVE: readonly string[] = [ExportTaskStatusCode.PENDING, ExportTaskStatusCode.RUNNING];

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | null)?.name;
}

function validate(req: LogExportRequest): void {
  const text = (field: keyof LogExportRequest, what: string) => {
    const v = req[field];
    if (typeof v !== 'string' || v.trim() === '') throw new InvalidInput(field, what, `${field} must be ${what}, got ${JSON.stringify(v)}`);
  };
  text('logGroupName', 'a CloudWatch Logs log group name');
  text('destinationBucket', 'the vault bucket name');
  text('taskName', 'a task name that is the same on every retry');
  if (req.taskName.length > 512) throw new InvalidInput('taskName', 'at most 512 characters', `taskName is ${req.taskName.length} characters long; CloudWatch Logs accepts at most 512`);
  for (const field of ['from', 'to'] as const) {
    const d = req[field];
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new InvalidInput(field, 'a valid date', `${field} must be a valid date`);
  }
  if (req.from.getTime() >= req.to.getTime()) {
    throw new InvalidInput('from', 'a time before `to`', `from (${req.from.toISOString()}) must be before to (${req.to.toISOString()})`);
  }
}

/**
 * Starts the export of one log group for [from, to] into the vault. LimitExceededException (an
 * export already active in the account) becomes ExportInProgress, unless the active task is this
 * request's own from an earlier attempt, which is then returned: a retry never starts a duplicate
 * while the first is running. A log group that does not exist (a Lambda never invoked has none)
 * is NotFound naming `logGroupName`, so the runbook can skip it.
 */
export async function startLogExport(logs: CloudWatchLogsClient, req: LogExportRequest): Promise<StartedLogExport> {
  validate(req);
  const destinationPrefix = req.destinationPrefix ?? logExportPrefix(req.logGroupName, req.to);
  try {
    const res = await logs.send(
      new CreateExportTaskCommand({
        taskName: req.taskName,
        logGroupName: req.logGroupName,
        from: req.from.getTime(),
        to: req.to.getTime(),
        destination: req.destinationBucket,
        destinationPrefix,
      }),
    );
    if (!res.taskId) throw new Error(`CreateExportTask for ${req.logGroupName} answered without a task id`);
    return { taskId: res.taskId, destinationPrefix, created: true };
  } catch (err) {
    const name = errorName(err);
    if (name === 'ResourceNotFoundException') {
      throw new NotFound('logGroupName', 'an existing log group', `log group ${req.logGroupName} does not exist (a function that never ran has no log group yet)`);
    }
    if (name !== 'LimitExceededException') throw err;
    const active = await activeExportTasks(logs);
    const own = active.find((t) => t.taskName === req.taskName && t.logGroupName === req.logGroupName);
    if (own?.taskId) return { taskId: own.taskId, destinationPrefix: own.destinationPrefix ?? destinationPrefix, created: false };
    throw new ExportInProgress(req.logGroupName, active[0]?.taskId);
  }
}

/** Export tasks PENDING or RUNNING in the account (the status filter takes one code per call). */
async function activeExportTasks(logs: CloudWatchLogsClient): Promise<ExportTask[]> {
  const out: ExportTask[] = [];
  for (const statusCode of ACTIVE) {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeExportTasksCommand({ statusCode: statusCode as ExportTaskStatusCode, nextToken }));
      // Filter again: the emulator ignores statusCode and lists every task.
      for (const t of page.exportTasks ?? []) if (ACTIVE.includes(t.status?.code ?? '')) out.push(t);
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return out;
}

/**
 * The task's status code: PENDING | RUNNING | COMPLETED | FAILED | CANCELLED | PENDING_CANCEL
 * (poll until one of the last four). An unknown task id is NotFound naming `taskId`.
 */
export async function exportTaskStatus(logs: CloudWatchLogsClient, taskId: string): Promise<ExportTaskStatusCode | string> {
  if (typeof taskId !== 'string' || taskId.trim() === '') throw new InvalidInput('taskId', 'the id startLogExport returned', `taskId must be the id startLogExport returned, got ${JSON.stringify(taskId)}`);
  try {
    const res = await logs.send(new DescribeExportTasksCommand({ taskId }));
    const task = res.exportTasks?.find((t) => t.taskId === taskId);
    if (!task) throw new NotFound('taskId', 'the id of an export task in this account', `export task ${taskId} does not exist`);
    return task.status?.code ?? 'UNKNOWN';
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') throw new NotFound('taskId', 'the id of an export task in this account', `export task ${taskId} does not exist`);
    throw err;
  }
}
