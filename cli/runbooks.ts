/**
 * The deployed runbooks of an environment, through the Step Functions API: finding a state
 * machine by the name the RunbookStack gives it, starting executions, reading their history and
 * their reports in the vault.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { randomBytes } from 'node:crypto';
import type { EnvironmentConfig } from '../lib/config';
import { parseS3Url } from '../lambda/core/s3url';
import { InvalidInput, NotFound } from '../lambda/shared/errors';
import type { RunbookName } from '../lambda/shared/runbook-inputs';
import { executionConsoleUrl } from '../lambda/aws/executions';

/** `<prefix>-<runbook>` in the recovery region and the workload account (lib/stacks/runbook-stack.ts). */
export function stateMachineArn(config: EnvironmentConfig, runbook: RunbookName): string {
  return `arn:aws:states:${config.recoveryRegion}:${config.account}:stateMachine:${config.prefix}-${runbook}`;
}

/** The execution's page in the Step Functions console (works for any partition's default domain). */
export function consoleUrl(executionArn: string): string {
  regionOfArn(executionArn); // refuses what is not an execution ARN
  return executionConsoleUrl(executionArn);
}

export function regionOfArn(arn: string): string {
  const region = arn.split(':')[3];
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region ?? '')) throw new InvalidInput('EXECUTION_ARN', 'an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)', `${JSON.stringify(arn)} is not an execution ARN`);
  return region;
}

/**
 * `<runbook>-<UTC timestamp>-<4 hex>`: readable in the console, sorted by time, unique enough that
 * two operators starting the same runbook in the same second do not collide (names are unique per
 * machine for 90 days, and the runbook uses the name as its run id).
 */
export function executionName(runbook: RunbookName, now: Date, suffix = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${runbook}-${stamp}-${suffix}`;
}

function isNotDeployed(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'StateMachineDoesNotExist' || name === 'ResourceNotFound';
}

/**
 * Checks the runbook is deployed in the environment.
 * @throws NotFound naming --env when the state machine does not exist
 */
export async function requireStateMachine(sfn: SFNClient, config: EnvironmentConfig, runbook: RunbookName): Promise<string> {
  const arn = stateMachineArn(config, runbook);
  try {
    await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  } catch (err) {
    if (!isNotDeployed(err)) throw err;
    const why = runbook === 'failover' && !config.domain ? ' (the failover runbook exists only for environments with a domain)' : '';
    throw new NotFound(
      '--env',
      `an environment whose RunbookStack is deployed`,
      `runbook ${runbook} is not deployed in environment ${config.name}: no state machine ${config.prefix}-${runbook} in account ${config.account}, region ${config.recoveryRegion}${why}; deploy it with: npx cdk deploy -c env=${config.name}`,
    );
  }
  return arn;
}

export interface StartedExecution {
  readonly runbook: RunbookName;
  readonly name: string;
  readonly executionArn: string;
  readonly startDate: string;
  readonly consoleUrl: string;
}

export async function startRunbook(sfn: SFNClient, stateMachine: string, runbook: RunbookName, input: Record<string, unknown>, now: Date): Promise<StartedExecution> {
  const name = executionName(runbook, now);
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachine, name, input: JSON.stringify(input) }));
  const executionArn = out.executionArn!;
  return { runbook, name, executionArn, startDate: (out.startDate ?? now).toISOString(), consoleUrl: consoleUrl(executionArn) };
}

export { executionHistory } from '../lambda/aws/executions';

export async function describeExecution(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (err) {
    if ((err as { name?: string }).name === 'ExecutionDoesNotExist') throw new NotFound('EXECUTION_ARN', 'the ARN of an existing execution', `no execution ${executionArn}`);
    throw err;
  }
}

/** What the Report / ReportFailure task returns (lambda/handlers/report.ts ReportResult), as far as the CLI needs it. */
export interface RunReportRef {
  readonly status?: string;
  readonly reportUrl: string;
  readonly markdownUrl: string;
  readonly rtoMinutes?: number;
  readonly rpoMinutes?: number;
}

function asReportRef(value: unknown): RunReportRef | undefined {
  const r = value as Partial<RunReportRef> | null | undefined;
  return r && typeof r.reportUrl === 'string' && typeof r.markdownUrl === 'string' ? (r as RunReportRef) : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Where the run's report is: `$.report` of the execution output (success), or, for a failed run
 * (which has no output), the report task's result in the history: the Report/ReportFailure
 * state's exit output, else its task's own result (LambdaFunctionSucceeded / TaskSucceeded).
 */
export function findReport(output: string | undefined, events: readonly HistoryEvent[]): RunReportRef | undefined {
  const fromOutput = asReportRef((parseJson(output) as { report?: unknown } | undefined)?.report);
  if (fromOutput) return fromOutput;
  let inReport = false;
  let found: RunReportRef | undefined;
  for (const e of events) {
    const entered = e.stateEnteredEventDetails?.name;
    if (entered !== undefined) inReport = entered === 'Report' || entered === 'ReportFailure';
    if (!inReport) continue;
    const exited = e.stateExitedEventDetails;
    if (exited) found = asReportRef((parseJson(exited.output) as { report?: unknown } | undefined)?.report) ?? found;
    const result = e.lambdaFunctionSucceededEventDetails?.output ?? e.taskSucceededEventDetails?.output;
    if (result !== undefined) {
      const parsed = parseJson(result) as { Payload?: unknown } | undefined;
      found = asReportRef(parsed) ?? asReportRef(parsed?.Payload) ?? found;
    }
  }
  return found;
}

/** Reads a report (or any text object) from the vault by its s3:// URL. */
export async function readS3Text(s3: S3Client, url: string): Promise<string> {
  const loc = parseS3Url(url, 'report');
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    return await out.Body!.transformToString('utf8');
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound') throw new NotFound('report', 'a report in the vault', `${url} does not exist (${name})`);
    throw err;
  }
}
