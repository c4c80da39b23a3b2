/**
 * What `sitedr run --follow` shows, as pure functions: execution history events -> progress
 * state -> lines. No AWS here; cli/follower.ts polls the history and prints what these return.
 *
 * Top-level steps are the runbook's own states (Prepare, Plan, ExecuteBatches, Report, ...);
 * states inside a Map iteration are not steps of their own, they move the batch counter.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { renderBar } from './output';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StepView {
  readonly name: string;
  readonly startedAt: Date;
  endedAt?: Date;
  status: 'running' | 'succeeded' | 'failed';
  /** For RequestApproval: the task token its SNS message carried. */
  approvalToken?: string;
  /** Its task failed (a Catch may still route on, so the step ends at its exit event). */
  failing?: boolean;
}

/** Progress of the batch-executing Map (inline: iteration events; distributed: the Map Run's item counts). */
export interface BatchProgress {
  readonly step: string;
  readonly distributed: boolean;
  /** Known once the Map started (inline: MapStateStarted length; distributed: DescribeMapRun). */
  total?: number;
  succeeded: number;
  failed: number;
  mapRunArn?: string;
}

export interface FollowState {
  status: ExecutionStatus;
  startedAt?: Date;
  endedAt?: Date;
  readonly steps: StepView[];
  /** The latest Map step's progress (kept after it ends, for its summary line). */
  batches?: BatchProgress;
  /** The token of the approval the run is waiting for (RequestApproval's SNS message carries it). */
  approvalToken?: string;
  error?: { readonly error: string; readonly cause: string };
}

/** The token in an approval message: "... Approve:  sitedr approve <token> ...". */
export function approvalTokenIn(message: string): string | undefined {
  return /sitedr approve (\S+)/.exec(message)?.[1];
}

const TERMINAL: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

/** Failure events of a top-level step (a Map iteration failing is counted, not a step failure). */
function isStepFailure(type: string): boolean {
  return /Failed$|TimedOut$/.test(type) && !type.startsWith('Execution') && type !== 'MapIterationFailed';
}

/** Folds the history (oldest first) into what the follower shows. */
export function progressFromEvents(events: readonly HistoryEvent[]): FollowState {
  const state: FollowState = { status: 'RUNNING', steps: [] };
  // Map states currently open, outermost first; states entered while one is open are iterations' own.
  const openMaps: string[] = [];
  const current = (): StepView | undefined => {
    const last = state.steps[state.steps.length - 1];
    return last?.status === 'running' ? last : undefined;
  };
  for (const e of events) {
    const type = e.type ?? '';
    const at = e.timestamp ?? new Date(0);
    if (type === 'ExecutionStarted') state.startedAt = at;
    if (TERMINAL[type]) {
      state.status = TERMINAL[type];
      state.endedAt = at;
      const d = e.executionFailedEventDetails ?? e.executionTimedOutEventDetails ?? e.executionAbortedEventDetails;
      if (d && (d.error || d.cause)) state.error = { error: d.error ?? type, cause: d.cause ?? '' };
      const open = current();
      if (open) {
        open.endedAt = at;
        open.status = state.status === 'SUCCEEDED' ? 'succeeded' : 'failed';
      }
      continue;
    }
    const entered = e.stateEnteredEventDetails?.name;
    if (entered !== undefined && type.endsWith('StateEntered')) {
      if (openMaps.length === 0) {
        // A step whose failure a Catch routed on may have no exit event: the next step ends it.
        const previous = current();
        if (previous) {
          previous.endedAt = at;
          previous.status = previous.failing ? 'failed' : 'succeeded';
        }
        state.steps.push({ name: entered, startedAt: at, status: 'running' });
        if (type === 'MapStateEntered') state.batches = { step: entered, distributed: false, succeeded: 0, failed: 0 };
      }
      if (type === 'MapStateEntered') openMaps.push(entered);
      continue;
    }
    const exited = e.stateExitedEventDetails?.name;
    if (exited !== undefined && type.endsWith('StateExited')) {
      if (type === 'MapStateExited' && openMaps[openMaps.length - 1] === exited) openMaps.pop();
      const open = current();
      if (openMaps.length === 0 && open?.name === exited) {
        open.endedAt = at;
        open.status = open.failing ? 'failed' : 'succeeded';
        if (exited === 'RequestApproval') state.approvalToken = undefined;
      }
      continue;
    }
    const outer = openMaps.length === 1 && state.batches?.step === openMaps[0];
    if (type === 'MapStateStarted' && outer) state.batches!.total = e.mapStateStartedEventDetails?.length;
    else if (type === 'MapIterationSucceeded' && outer && e.mapIterationSucceededEventDetails?.name === state.batches!.step) state.batches!.succeeded++;
    else if (type === 'MapIterationFailed' && outer && e.mapIterationFailedEventDetails?.name === state.batches!.step) state.batches!.failed++;
    else if (type === 'MapRunStarted' && outer) {
      state.batches!.mapRunArn = e.mapRunStartedEventDetails?.mapRunArn;
      (state.batches as { distributed: boolean }).distributed = true;
    } else if (type === 'TaskScheduled' && current()?.name === 'RequestApproval') {
      const params = e.taskScheduledEventDetails?.parameters;
      const message = params ? (JSON.parse(params) as { Message?: unknown }).Message : undefined;
      if (typeof message === 'string') state.approvalToken = current()!.approvalToken = approvalTokenIn(message);
    }
    const open = current();
    if (open && (openMaps.length === 0 || (openMaps.length === 1 && /^Map(State|Run)/.test(type)))) {
      if (isStepFailure(type)) open.failing = true;
      // A retried task that then succeeds did not fail.
      else if (openMaps.length === 0 && /^(LambdaFunction|Task)Succeeded$/.test(type)) open.failing = false;
    }
  }
  return state;
}

/** Applies a Distributed Map Run's item counts (DescribeMapRun) to the progress. */
export function withMapRunCounts(state: FollowState, counts: { total?: number; succeeded?: number; failed?: number }): FollowState {
  if (!state.batches) return state;
  return { ...state, batches: { ...state.batches, total: counts.total ?? state.batches.total, succeeded: counts.succeeded ?? 0, failed: counts.failed ?? 0 } };
}

function clock(d: Date): string {
  return d.toISOString().slice(11, 19);
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function batchText(b: BatchProgress): string {
  return `${b.succeeded}/${b.total ?? '?'} batches${b.failed > 0 ? `, ${b.failed} failed` : ''}`;
}

/**
 * The log of the run so far: one line per finished step, the approval command as soon as the
 * run waits for one, and the result. Append-only as the history grows (a step's lines depend
 * only on events up to its end), so the follower prints `lines.slice(printedBefore)`.
 */
export function stepLines(state: FollowState): string[] {
  const lines: string[] = [];
  for (const step of state.steps) {
    const token = step.approvalToken;
    if (token) lines.push(`${clock(step.startedAt)}  … waiting for approval: sitedr approve ${token}   (or: sitedr reject ${token} --reason "...")`);
    if (step.status === 'running') continue;
    const mark = step.status === 'succeeded' ? '✓' : '✗';
    const batches = state.batches?.step === step.name ? `  ${batchText(state.batches)}` : '';
    lines.push(`${clock(step.endedAt ?? step.startedAt)}  ${mark} ${step.name}${batches}  (${formatDuration((step.endedAt ?? step.startedAt).getTime() - step.startedAt.getTime())})`);
  }
  if (state.status !== 'RUNNING') {
    const took = state.startedAt && state.endedAt ? ` after ${formatDuration(state.endedAt.getTime() - state.startedAt.getTime())}` : '';
    lines.push(state.error ? `${state.status}${took}: ${state.error.error}${state.error.cause ? `: ${state.error.cause}` : ''}` : `${state.status}${took}`);
  }
  return lines;
}

/** The live line on a terminal: the current step, the batch bar while batches run, the time so far. */
export function statusLine(state: FollowState, now: Date): string {
  const step = state.steps[state.steps.length - 1];
  if (state.status !== 'RUNNING' || !step || step.status !== 'running') return '';
  const elapsed = formatDuration(now.getTime() - step.startedAt.getTime());
  if (state.batches?.step === step.name) {
    const b = state.batches;
    // Before the Map has said how many batches there are (a Map Run counts them as it reads its
    // items), a bar of 0/0 would look finished.
    if (!b.total) return `▶ ${step.name} · starting batches · ${elapsed}`;
    return `▶ ${step.name} ${renderBar(b.succeeded + b.failed, b.total ?? 0, 24)} batches${b.failed > 0 ? ` (${b.failed} failed)` : ''} · ${elapsed}`;
  }
  if (step.name === 'RequestApproval') return `▶ ${step.name} · waiting for approval · ${elapsed}`;
  return `▶ ${step.name} · ${elapsed}`;
}
