/** Everything the CLI prints: JSON documents, human summaries, the progress bar, and errors. */
import { BadInput, isBadInput } from '../lambda/shared/errors';
import { flagFor } from './fields';

export interface CliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** The `error` member of a JSON document, and the exit code that goes with it. */
export function describeError(err: unknown): { error: Record<string, unknown>; exitCode: number } {
  if (isBadInput(err)) {
    const e = err as BadInput;
    return { error: { name: e.name, field: flagFor(e.field), expected: e.expected, message: e.message }, exitCode: EXIT_BAD_INPUT };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const extra: Record<string, unknown> = {};
  for (const k of ['mismatches', 'failures'] as const) if (k in e) extra[k] = (e as unknown as Record<string, unknown>)[k];
  return { error: { name: e.name, message: e.message, ...extra }, exitCode: EXIT_FAILED };
}

export function printError(io: CliIo, command: string, err: unknown, json: boolean): number {
  const { error, exitCode } = describeError(err);
  if (json) printJson(io, { command, ok: false, error });
  else {
    const where = error.field ? ` (${error.field})` : '';
    // Schema errors already say what was expected; engine errors get it on a line of its own.
    const expected = error.expected && !String(error.message).includes(String(error.expected)) ? `\n  expected: ${error.expected}` : '';
    io.stderr.write(`sitedr ${command}: ${error.name}${where}: ${error.message}${expected}\n`);
  }
  return exitCode;
}

/** `[#######-------] 7/14`: the bar itself, `width` characters between the brackets. */
export function renderBar(done: number, total: number, width = 30): string {
  const filled = total <= 0 ? width : Math.max(0, Math.min(width, Math.round((done / total) * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * A one-line progress bar on stderr, only when stderr is a terminal (logs and pipes get no
 * carriage-return noise). Redraws at most every 100 ms.
 */
export function progressBar(io: CliIo, label: string): { update(done: number, total: number): void; end(): void } {
  if (!io.stderr.isTTY) return { update: () => undefined, end: () => undefined };
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      io.stderr.write(`\r${label} ${renderBar(done, total, width)}`);
      drawn = true;
    },
    end() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
