/**
 * First task of every runbook: parse the execution input with the runbook's schema (InvalidInput
 * naming the field, before anything is touched), refuse to overlap a conflicting run, and create
 * the run record the later tasks carry.
 */
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { blockingExecution, EXCLUSIVE_WITH, RunningExecution, siblingStateMachineArn } from '../core/run-lock';
import { InvalidInput, RunInProgress } from '../shared/errors';
import { logger, tracer } from '../shared/powertools';
import { executionContext, Run } from '../shared/run';
import { RUNBOOK_INPUTS, RUNBOOK_NAMES, RunbookName } from '../shared/runbook-inputs';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';

const sfn = tracer.captureAWSv3Client(new SFNClient({}));

const eventSchema = z.object({
  runbook: z.enum(RUNBOOK_NAMES as [RunbookName, ...RunbookName[]]),
  input: z.unknown(),
  execution: executionContext,
});

export async function handler(event: unknown): Promise<Run> {
  const { runbook, input: raw, execution } = parseInput(eventSchema, event);
  const input = parseInput(RUNBOOK_INPUTS[runbook], raw ?? {}) as Record<string, unknown>;
  if (input.dryRun === true && runbook !== 'restore' && runbook !== 'rollback') {
    throw new InvalidInput('dryRun', 'dryRun only for restore and rollback', `${runbook} has no dry run`);
  }
  const fullDrill = runbook === 'drill' && input.kind === 'full';
  if (fullDrill && setting(SETTINGS.fullDrillAllowed) !== 'true') {
    throw new InvalidInput(
      'kind',
      'content, or full only in an environment with a fullDrill schedule',
      `a full drill recovers this environment's live site from the vault; ${setting(SETTINGS.environment)} has no fullDrill schedule, so only kind "content" (into the drill bucket) is allowed`,
    );
  }
  const self: RunningExecution = { executionArn: execution.Id, name: execution.Name, startDate: new Date(execution.StartTime) };
  // A full drill changes the live site like a restore does: the same exclusion applies to it.
  for (const sibling of fullDrill ? (['restore', 'rollback', 'drill'] as const) : (EXCLUSIVE_WITH[runbook] ?? [])) {
    const running = await listRunning(siblingStateMachineArn(execution.Id, runbook, sibling));
    const blocker = blockingExecution(self, running);
    if (blocker) throw new RunInProgress(blocker.executionArn);
  }
  const vault = setting(SETTINGS.vaultBucket);
  const run: Run = {
    runbook,
    runId: execution.Name,
    executionArn: execution.Id,
    startedAt: new Date(execution.StartTime).toISOString(),
    environment: setting(SETTINGS.environment),
    input,
    recordPrefix: `s3://${vault}/records/${runbook}/`,
    approvalRequired: setting(SETTINGS.approvalRequired) === 'true' && changesLiveContent(runbook, input),
    requestedBy: typeof input.requestedBy === 'string' ? input.requestedBy : 'unknown',
    ...(typeof input.reason === 'string' ? { reason: input.reason } : {}),
  };
  logger.info('run prepared', { runbook, runId: run.runId, requestedBy: run.requestedBy });
  return run;
}

/**
 * Approval guards content changes to the live site only: dry runs and drills change nothing
 * there, and failover is an emergency switch (possibly started by the health alarm) that changes
 * no content and is undone by failback.
 */
function changesLiveContent(runbook: RunbookName, input: Record<string, unknown>): boolean {
  if (input.dryRun === true) return false;
  if (runbook === 'restore') return input.target !== 'drill';
  return runbook === 'rollback';
}

async function listRunning(stateMachineArn: string): Promise<RunningExecution[]> {
  const out: RunningExecution[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken })).catch((err: Error) => {
      // A runbook this environment does not deploy cannot be running.
      if (err.name === 'StateMachineDoesNotExist') return { executions: [], nextToken: undefined };
      throw err;
    });
    for (const e of page.executions ?? []) {
      if (e.executionArn && e.name && e.startDate) out.push({ executionArn: e.executionArn, name: e.name, startDate: e.startDate });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}
