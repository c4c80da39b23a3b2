/**
 * Polls a running execution and prints its progress until it ends: the step log (cli/follow.ts)
 * on stderr, and on a terminal a live status line redrawn in place. The clock and the sleep are
 * injectable, so tests follow real executions without waiting on wall time they do not need.
 */
import { DescribeMapRunCommand, HistoryEvent, ListMapRunsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { FollowState, progressFromEvents, statusLine, stepLines, withMapRunCounts } from './follow';
import { CliIo } from './output';
import { describeExecution, executionHistory } from './runbooks';

export interface FollowOptions {
  /** @default 2000 */
  readonly pollMs?: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface FollowResult {
  readonly state: FollowState;
  readonly status: string;
  readonly output?: string;
  readonly events: HistoryEvent[];
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The Map Run's item counts; undefined when they cannot be read (the bar then shows what the history says). */
async function mapRunCounts(sfn: SFNClient, executionArn: string, mapRunArn: string | undefined) {
  try {
    const arn = mapRunArn ?? (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn;
    if (!arn) return undefined;
    return (await sfn.send(new DescribeMapRunCommand({ mapRunArn: arn }))).itemCounts;
  } catch {
    return undefined;
  }
}

export async function followExecution(sfn: SFNClient, executionArn: string, io: CliIo, opts: FollowOptions = {}): Promise<FollowResult> {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const tty = !!io.stderr.isTTY;
  let printed = 0;
  let live = '';
  let counts: Awaited<ReturnType<typeof mapRunCounts>>;
  // Counts read while the Map still ran are read once more after it ends, for its summary line.
  let countsFinal = false;
  for (;;) {
    const events = await executionHistory(sfn, executionArn);
    let state = progressFromEvents(events);
    // A Distributed Map's children are not in the parent's history: its Map Run counts them.
    if (state.batches?.distributed) {
      const step = state.steps.find((s) => s.name === state.batches!.step);
      const running = step?.status === 'running';
      if (running || !countsFinal) {
        counts = (await mapRunCounts(sfn, executionArn, state.batches.mapRunArn)) ?? counts;
        countsFinal = !running;
      }
      if (counts) state = withMapRunCounts(state, counts);
    }
    const lines = stepLines(state);
    const fresh = lines.slice(printed);
    printed = lines.length;
    const next = tty ? statusLine(state, now()) : '';
    if (fresh.length > 0) {
      // The live line is cleared before log lines go out, then redrawn under them.
      if (live) io.stderr.write('\r\x1b[K');
      for (const line of fresh) io.stderr.write(line + '\n');
      if (next) io.stderr.write(next);
    } else if (next !== live) {
      io.stderr.write(`\r\x1b[K${next}`);
    }
    live = next;
    if (state.status !== 'RUNNING') {
      if (live) io.stderr.write('\r\x1b[K');
      const described = await describeExecution(sfn, executionArn);
      return { state, status: described.status ?? state.status, output: described.output, events };
    }
    await sleep(opts.pollMs ?? 2000);
  }
}
