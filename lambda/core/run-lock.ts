/**
 * One content-changing run per environment at a time, without a lock table: every run lists the
 * running executions of the runbooks it excludes, and only the oldest may proceed. Two runs that
 * start together both see each other and agree on the same winner (oldest start, then name).
 */
import type { RunbookName } from '../shared/runbook-inputs';

/** Runbooks that must not overlap, by the runbook that starts. */
export const EXCLUSIVE_WITH: Partial<Record<RunbookName, RunbookName[]>> = {
  restore: ['restore', 'rollback'],
  rollback: ['restore', 'rollback'],
  failover: ['failover'],
};

export interface RunningExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate: Date;
}

/** The execution this one must wait for, if any: one that started earlier (or at once, with a smaller name). */
export function blockingExecution(self: RunningExecution, running: readonly RunningExecution[]): RunningExecution | undefined {
  const ahead = running
    .filter((r) => r.executionArn !== self.executionArn)
    .filter((r) => r.startDate.getTime() < self.startDate.getTime() || (r.startDate.getTime() === self.startDate.getTime() && r.name < self.name));
  return ahead.sort((a, b) => a.startDate.getTime() - b.startDate.getTime())[0];
}

/** `arn:aws:states:r:a:execution:<machine>:<name>` -> the state machine ARN of a sibling runbook. */
export function siblingStateMachineArn(executionArn: string, ownRunbook: RunbookName, sibling: RunbookName): string {
  const m = /^arn:([^:]+):states:([^:]+):(\d+):execution:([^:]+):[^:]+$/.exec(executionArn);
  if (!m) throw new Error(`not a Step Functions execution ARN: ${executionArn}`);
  const [, partition, region, account, machine] = m;
  if (!machine.endsWith(`-${ownRunbook}`)) throw new Error(`state machine ${machine} is not named <prefix>-${ownRunbook}`);
  return `arn:${partition}:states:${region}:${account}:stateMachine:${machine.slice(0, -ownRunbook.length)}${sibling}`;
}
