/**
 * Helpers the runbook end-to-end tests share: reading what a run left in the vault, and
 * capturing a bucket's state so a test can prove a run changed nothing (or exactly what it meant to).
 */
import { GetObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunbookRun } from '../../local/runbooks';
import { keysUnder, TestWorld, text } from './world';

/** Every version and delete marker of a bucket, as `key@versionId` strings (sorted). */
export async function allVersions(s3: S3Client, bucket: string): Promise<string[]> {
  const out: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    for (const v of page.Versions ?? []) out.push(`${v.Key}@${v.VersionId}`);
    for (const m of page.DeleteMarkers ?? []) out.push(`${m.Key}@${m.VersionId}(marker)`);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
  return out.sort();
}

/** What the bucket serves now: current key -> body. */
export async function contents(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await keysUnder(s3, bucket, '')) {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    out[key] = await res.Body!.transformToString();
  }
  return out;
}

/** A site's files as the key -> body map `contents` returns. */
export function asContents(files: ReadonlyArray<{ key: string; body: string }>): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.key, f.body]));
}

/**
 * The JSON report a run wrote (on success and on failure). The report task names it after the
 * run id, which is the execution name, so a failed run's report is found without its output.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function reportOf(t: TestWorld, runbook: string, run: RunbookRun): Promise<any> {
  const keys = (await keysUnder(t.s3, t.world.buckets.vault, `reports/${runbook}/`)).filter((k) => k.endsWith(`-${run.executionName}.json`));
  if (keys.length !== 1) throw new Error(`expected one report for ${run.executionName}, found ${JSON.stringify(keys)}`);
  return JSON.parse(await text(t.s3, t.world.buckets.vault, keys[0]));
}

/** The output a state exited with (the last time it ran). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function outputOf(run: RunbookRun, stateName: string): any {
  const exits = run.events.filter((e) => e.type === 'StateExited' && e.stateName === stateName);
  if (exits.length === 0) throw new Error(`state ${stateName} never exited; visited: ${run.visitedStates.join(' -> ')}`);
  return exits[exits.length - 1].output;
}

/** How often a state was entered. */
export function timesVisited(run: RunbookRun, stateName: string): number {
  return run.visitedStates.filter((s) => s === stateName).length;
}

/** The failure frame every runbook ends in when a task fails after Prepare. */
export const FAILURE_FRAME = ['ReportFailure', 'NotifyFailure', 'Failed'];

/** An Error whose `name` is what Step Functions Retry/Catch would match (as our handlers' named errors). */
export function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** The status, error and cause of a run, for one readable assertion. */
export function ending(run: { readonly status: string; readonly error?: string }): { status: string; error?: string } {
  return { status: run.status, ...(run.error !== undefined ? { error: run.error } : {}) };
}

/** The errorMessage in a Lambda-style cause (`{ errorType, errorMessage, trace }`), or the cause itself. */
export function causeMessage(run: RunbookRun): string {
  try {
    const parsed = JSON.parse(run.cause ?? '') as { errorMessage?: string };
    return parsed.errorMessage ?? run.cause ?? '';
  } catch {
    return run.cause ?? '';
  }
}
