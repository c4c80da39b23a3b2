/** Runs the sitedr CLI in process (fast) or as a child process (exit codes, signals). */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../cli/main';
import type { RunbookDeps } from '../../cli/runbook-commands';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON when --json was given. */
  json<T = Record<string, unknown>>(): T;
}

function result(code: number, stdout: string, stderr: string): CliRun {
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

export async function sitedr(...argv: string[]): Promise<CliRun> {
  return sitedrWith({}, ...argv);
}

export interface CliRunOptions {
  /** Injected clients, clock and poll interval of the runbook commands. */
  readonly deps?: RunbookDeps;
  /** Pretend stderr is a terminal (live progress line). @default false */
  readonly tty?: boolean;
  /** Environment variables over process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export async function sitedrWith(opts: CliRunOptions, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
      env: { ...process.env, ...opts.env },
    },
    opts.deps,
  );
  return result(code, stdout, stderr);
}

const ROOT = join(__dirname, '..', '..');

/** Starts bin/sitedr.ts as its own process against the same emulator. */
export function spawnSitedr(argv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', join(ROOT, 'bin', 'sitedr.ts'), ...argv], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function waitForExit(child: ChildProcess): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ ...result(code ?? -1, stdout, stderr), signal })));
}
