/**
 * The two restore tools under test, each run as a subprocess against an S3 endpoint (the counting
 * proxy), the way an operator would run them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_CREDENTIALS, BENCH_REGION } from './s3';

const ROOT = join(__dirname, '..', '..');

export interface ToolRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with the SDK environment pointed at `endpoint` and throwaway credentials. */
export function runTool(command: string, args: readonly string[], endpoint: string, timeoutMs = 300_000): Promise<ToolRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Both SDKs (JS v3 and boto3) read these; the S3-specific one wins for S3 where set.
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    // Keep the machine's own AWS configuration out of the measurement.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, wallMs: Number(process.hrtime.bigint() - started) / 1e6, stdout, stderr });
    });
  });
}

/**
 * Our engine's operator CLI. Run through ts-node's own entry point rather than `npx ts-node`: the
 * same thing without npx's package lookup in the timing.
 */
export function sitedrCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(ROOT, 'bin', 'sitedr.ts'), ...args]];
}

/**
 * The CLI requires a place to keep each run's plan, undo manifest and result; the benchmark gives it
 * a bucket of its own so the records are not part of the restored history. Writing them is part of
 * a restore, so those calls are counted like any other.
 */
export const RECORDS_BUCKET = 'bench-records';

export function sitedrRestoreArgs(bucket: string, at: Date): string[] {
  return ['restore', '--bucket', bucket, '--to', isoSeconds(at), '--record', `s3://${RECORDS_BUCKET}/${bucket}/`, '--json'];
}

/** s3-pit-restore in place (-B = the same bucket), to time T, with its default 10 workers. */
export function s3PitRestoreArgs(bucket: string, at: Date): string[] {
  return ['-b', bucket, '-B', bucket, '-t', isoSeconds(at)];
}

/** `2026-12-04T15:41:46Z`: ISO-8601 with a zone, whole seconds, which both tools accept. */
export function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The last JSON object a command printed on stdout (the summary `--json` asks for), if any. */
export function lastJsonObject(stdout: string): Record<string, unknown> | undefined {
  const trimmed = stdout.trim();
  try {
    return JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    // Not one document: fall back to the last line that parses.
  }
  for (const line of trimmed.split('\n').reverse()) {
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object') return value as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The last lines of a tool's error output, for the report when it fails. */
export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
