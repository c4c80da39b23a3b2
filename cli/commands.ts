/** The engine commands of the operator CLI. Each returns its exit code. */
import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../lambda/aws/client';
import { buildRestorePlan } from '../lambda/aws/plan-sources';
import { RestoreResult, newRunId, runRestore, runUndo } from '../lambda/aws/restore';
import { createSnapshot, verifySnapshot } from '../lambda/aws/snapshot';
import { formatBytes, renderPlan } from '../lambda/core/render';
import { VerificationFailed } from '../lambda/shared/errors';
import { concurrency, parseInput, restoreRequest, s3ObjectUrl, snapshotRequest, verifySnapshotRequest } from '../lambda/shared/schemas';
import { z } from 'zod';
import { flagForPath } from './fields';
import { CliIo, EXIT_FAILED, EXIT_OK, printError, printJson, progressBar } from './output';
import { SourceFlags, sourceFromFlags } from './source';

interface CommonFlags {
  readonly json?: boolean;
  readonly concurrency?: number;
}

export interface RestoreFlags extends SourceFlags, CommonFlags {
  readonly bucket?: string;
  readonly prefix?: string;
  readonly dryRun?: boolean;
  readonly copyTags?: boolean;
  readonly record?: string;
  readonly multipartThreshold?: number;
  readonly limit?: number;
}

export interface SnapshotFlags extends CommonFlags {
  readonly bucket?: string;
  readonly vault?: string;
  readonly prefix?: string;
  readonly storageClass?: string;
  readonly reuseMaxAgeDays?: number;
}

export interface VerifySnapshotFlags extends CommonFlags {
  readonly vault?: string;
  readonly snapshot?: string;
  readonly deep?: boolean;
}

export interface UndoFlags extends CommonFlags {
  readonly manifest?: string;
  readonly dryRun?: boolean;
  readonly record?: string;
}

/** Runs a command body with one S3 client, turning any error into output and an exit code. */
async function guarded(io: CliIo, command: string, json: boolean, body: (s3: () => S3Client) => Promise<number>): Promise<number> {
  let client: S3Client | undefined;
  try {
    return await body(() => (client ??= createS3Client()));
  } catch (err) {
    return printError(io, command, err, json);
  } finally {
    client?.destroy();
  }
}

function restoreInput(flags: RestoreFlags, io: CliIo, dryRun: boolean) {
  return parseInput(
    restoreRequest,
    {
      bucket: flags.bucket,
      prefix: flags.prefix,
      source: sourceFromFlags(flags),
      concurrency: flags.concurrency,
      dryRun,
      copyTags: flags.copyTags ?? false,
      record: flags.record ?? io.env.SITEDR_RECORD,
      multipartThresholdBytes: flags.multipartThreshold,
    },
    flagForPath,
  );
}

export function planCommand(io: CliIo, flags: RestoreFlags): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'plan', json, async (s3) => {
    const req = restoreInput(flags, io, true);
    const now = new Date();
    const plan = await buildRestorePlan(s3(), req, { planId: newRunId(now), now });
    if (json) printJson(io, { command: 'plan', ok: true, plan });
    else io.stdout.write(renderPlan(plan, flags.limit ?? 20) + '\n');
    return EXIT_OK;
  });
}

function printRestore(io: CliIo, command: string, result: RestoreResult, durationMs: number, json: boolean): number {
  if (json) {
    const { ok, ...rest } = result;
    printJson(io, { command, ok, ...rest, durationMs });
    return result.ok ? EXIT_OK : EXIT_FAILED;
  }
  const c = result.counts;
  if (result.dryRun) {
    io.stdout.write('dry run: nothing was changed\n');
    return EXIT_OK;
  }
  io.stdout.write(
    `${result.ok ? 'done' : 'FAILED'}: ${c.copied} copied (${formatBytes(result.bytes.copied)}), ${c.hidden} hidden, ${c.unhidden} unhidden, ` +
      `${c.unchanged} unchanged, ${c.failed} failed; verified ${result.verification?.checked ?? 0} key(s) in ${(durationMs / 1000).toFixed(1)} s\n`,
  );
  if (result.undoManifest) io.stdout.write(`undo with: sitedr undo --manifest ${result.undoManifest}\n`);
  if (!result.ok) {
    io.stderr.write(`${result.error!.name}: ${result.error!.message}\n`);
    for (const f of result.failures.slice(0, 20)) io.stderr.write(`  ${f.kind} ${JSON.stringify(f.key)}: ${f.error}\n`);
    for (const m of result.verification?.mismatches.slice(0, 20) ?? []) io.stderr.write(`  ${JSON.stringify(m.key)}: expected ${m.expected}, found ${m.actual}\n`);
  }
  return result.ok ? EXIT_OK : EXIT_FAILED;
}

export function restoreCommand(io: CliIo, flags: RestoreFlags): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'restore', json, async (s3) => {
    const req = restoreInput(flags, io, !!flags.dryRun);
    const started = Date.now();
    const bar = progressBar(io, 'restoring');
    const result = await runRestore(s3(), req, {
      onPlan: (plan) => {
        if (!json) io.stdout.write(renderPlan(plan, flags.limit ?? 20) + '\n');
      },
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.end();
    return printRestore(io, 'restore', result, Date.now() - started, json);
  });
}

export function undoCommand(io: CliIo, flags: UndoFlags): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'undo', json, async (s3) => {
    const input = parseInput(
      z.object({ manifest: s3ObjectUrl, concurrency, record: z.string().optional() }),
      { manifest: flags.manifest, concurrency: flags.concurrency, record: flags.record },
      flagForPath,
    );
    const started = Date.now();
    const bar = progressBar(io, 'undoing');
    const result = await runUndo(s3(), { ...input, dryRun: !!flags.dryRun }, {
      onPlan: (plan) => {
        if (!json) io.stdout.write(renderPlan(plan) + '\n');
      },
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.end();
    return printRestore(io, 'undo', result, Date.now() - started, json);
  });
}

export function snapshotCommand(io: CliIo, flags: SnapshotFlags): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'snapshot', json, async (s3) => {
    const req = parseInput(
      snapshotRequest,
      { bucket: flags.bucket, vault: flags.vault, prefix: flags.prefix, storageClass: flags.storageClass, concurrency: flags.concurrency, reuseMaxAgeDays: flags.reuseMaxAgeDays },
      flagForPath,
    );
    const started = Date.now();
    const bar = progressBar(io, 'copying');
    const result = await createSnapshot(s3(), req, { onProgress: (done, total) => bar.update(done, total) });
    bar.end();
    const durationMs = Date.now() - started;
    if (json) printJson(io, { command: 'snapshot', ok: true, ...result, durationMs });
    else {
      io.stdout.write(
        `snapshot ${result.id}: ${result.count} object(s), ${formatBytes(result.bytes)}; ${result.copied} copied (${formatBytes(result.copiedBytes)}), ` +
          `${result.reused} reused${result.previous ? ` from ${result.previous}` : ''}\nmanifest: ${result.manifest}\n`,
      );
    }
    return EXIT_OK;
  });
}

export function verifySnapshotCommand(io: CliIo, flags: VerifySnapshotFlags): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'verify-snapshot', json, async (s3) => {
    const req = parseInput(verifySnapshotRequest, { vault: flags.vault, snapshotId: flags.snapshot, deep: flags.deep ?? false }, flagForPath);
    const report = await verifySnapshot(s3(), req.vault, req.snapshotId, { deep: req.deep, concurrency: flags.concurrency });
    if (report.mismatches.length > 0) throw new VerificationFailed(report.mismatches, `snapshot ${report.id}`);
    if (json) printJson(io, { command: 'verify-snapshot', ok: true, ...report });
    else io.stdout.write(`snapshot ${report.id}: all ${report.checked} entries present with matching size and ${req.deep ? 'checksum' : 'ETag'}\n`);
    return EXIT_OK;
  });
}
