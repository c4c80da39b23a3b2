/**
 * Rollback runbook: turns the method into a target release and writes the audit record (who,
 * why, method, target) before anything changes.
 */
import { createS3Client } from '../aws/client';
import { putText } from '../aws/records';
import { resolveRelease } from '../aws/releases';
import { z } from 'zod';
import { runSchema } from '../shared/run';
import { rollbackInput } from '../shared/runbook-inputs';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const s3 = tracer.captureAWSv3Client(createS3Client());
const eventSchema = z.object({ run: runSchema });

export interface RollbackTarget {
  readonly releaseId: string;
  readonly commit: string;
  readonly method: string;
  /** Content is restored for every method but infrastructure_only. */
  readonly restoresContent: boolean;
  /** Infrastructure is rolled back for infrastructure_only. */
  readonly rollsBackInfrastructure: boolean;
  readonly source: { readonly type: 'release'; readonly releaseId: string };
  readonly auditRecord: string;
}

export async function handler(event: unknown): Promise<RollbackTarget> {
  const { run } = parseInput(eventSchema, event);
  const input = parseInput(rollbackInput, run.input);
  const vault = setting(SETTINGS.vaultBucket);
  const release = await resolveRelease(s3, {
    vault,
    bucket: setting(SETTINGS.contentBucket),
    releaseId: input.method === 'last_known_good' ? undefined : input.releaseId,
    commit: input.method === 'last_known_good' ? undefined : input.commit,
  });
  const auditKey = `audit/rollback/${run.runId}.json`;
  await putText(
    s3,
    { bucket: vault, key: auditKey },
    JSON.stringify({ runId: run.runId, executionArn: run.executionArn, at: new Date().toISOString(), requestedBy: input.requestedBy, reason: input.reason, method: input.method, target: { releaseId: release.release, commit: release.commit }, dryRun: input.dryRun }),
    'application/json',
  );
  return {
    releaseId: release.release,
    commit: release.commit,
    method: input.method,
    restoresContent: input.method !== 'infrastructure_only',
    rollsBackInfrastructure: input.method === 'infrastructure_only',
    source: { type: 'release', releaseId: release.release },
    auditRecord: `s3://${vault}/${auditKey}`,
  };
}
