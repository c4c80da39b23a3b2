/**
 * The run record every runbook's first task creates and every later task receives (`$.run`):
 * who asked, why, when it started, and where its records go in the vault.
 */
import { z } from 'zod';
import { RUNBOOK_NAMES, RunbookName } from './runbook-inputs';

export interface Run {
  readonly runbook: RunbookName;
  /** The execution name: unique per state machine, stable across task retries. */
  readonly runId: string;
  readonly executionArn: string;
  readonly startedAt: string;
  readonly environment: string;
  /** The parsed execution input (defaults applied). */
  readonly input: Record<string, unknown>;
  /** s3://vault/records/<runbook>/: plans, undo manifests and results of this runbook. */
  readonly recordPrefix: string;
  readonly approvalRequired: boolean;
  readonly requestedBy: string;
  readonly reason?: string;
}

/** The subset of the Step Functions context object the first task is given. */
export const executionContext = z.object({
  Id: z.string().min(1),
  Name: z.string().min(1),
  StartTime: z.string().min(1),
});

export const runSchema = z.object({
  runbook: z.enum(RUNBOOK_NAMES as [RunbookName, ...RunbookName[]]),
  runId: z.string(),
  executionArn: z.string(),
  startedAt: z.string(),
  environment: z.string(),
  input: z.record(z.string(), z.unknown()),
  recordPrefix: z.string(),
  approvalRequired: z.boolean(),
  requestedBy: z.string(),
  reason: z.string().optional(),
});
