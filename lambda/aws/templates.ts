/**
 * Infrastructure template backup: each stack's deployed template into the vault under
 * `templates/<stack>/<ISO time>.json`, written only when it differs from the newest one stored
 * ("only what changed moves"), so the daily schedule and the after-deploy trigger cost one
 * GetTemplate, one listing and one HeadObject per stack when nothing changed.
 */
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { InvalidInput, NotFound } from '../shared/errors';
import { isNoSuchBucket, missingBucket } from './listing';
import { RetryOptions, withRetry } from './retry';

/** Object metadata key holding the hex SHA-256 of the stored template (`x-amz-meta-sha256`). */
export const SHA256_METADATA = 'sha256';

export interface BackupTemplatesRequest {
  readonly stackNames: readonly string[];
  /** The vault bucket (Object Lock: every PutObject carries a checksum). */
  readonly vault: string;
  /** Names the new objects; pass the run's start time so retries reuse the same keys. */
  readonly now: Date;
  /** Retries around each call (throttling, 5xx). @default withRetry's defaults */
  readonly retry?: RetryOptions;
}

export interface TemplateBackup {
  readonly stackName: string;
  /** The object now holding this template: the new one when changed, else the newest stored one. */
  readonly key: string;
  /** Hex SHA-256 of the template body. */
  readonly sha256: string;
  /** True when this run wrote a new object. */
  readonly changed: boolean;
}

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export function templatePrefix(stackName: string): string {
  return `templates/${stackName}/`;
}

/** JSON templates (what CDK deploys) keep the `.json` extension; a YAML original is stored as `.yaml`. */
function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function validate(req: BackupTemplatesRequest): void {
  if (!Array.isArray(req.stackNames) || req.stackNames.length === 0) {
    throw new InvalidInput('stackNames', 'a non-empty list of stack names', 'stackNames must list at least one stack');
  }
  req.stackNames.forEach((name, i) => {
    if (typeof name !== 'string' || !STACK_NAME.test(name)) {
      throw new InvalidInput(`stackNames[${i}]`, 'a CloudFormation stack name (letter first, then letters, digits, hyphens)', `stackNames[${i}] is not a stack name: ${JSON.stringify(name)}`);
    }
  });
  if (new Set(req.stackNames).size !== req.stackNames.length) throw new InvalidInput('stackNames', 'each stack once', 'stackNames lists a stack more than once');
  if (typeof req.vault !== 'string' || req.vault.trim() === '') throw new InvalidInput('vault', 'the vault bucket name', 'vault must name the vault bucket');
  if (!(req.now instanceof Date) || Number.isNaN(req.now.getTime())) throw new InvalidInput('now', 'a valid date', 'now must be a valid date');
}

/**
 * Backs up the Original-stage template of each stack. Every template is read before anything is
 * written, so a stack that does not exist (NotFound naming `stackNames[i]`) fails the run with the
 * vault untouched. Running it twice writes nothing the second time; a retry after a partial run
 * writes only the stacks still missing.
 */
export async function backupTemplates(cfn: CloudFormationClient, s3: S3Client, req: BackupTemplatesRequest): Promise<TemplateBackup[]> {
  validate(req);
  const retry = <T>(fn: () => Promise<T>) => withRetry(fn, req.retry);

  const bodies = [];
  for (const [i, stackName] of req.stackNames.entries()) {
    const res = await retry(() => cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }))).catch((err: unknown) => {
      // CloudFormation answers a missing stack with a generic ValidationError "Stack with id X does not exist".
      const e = err as { name?: string; message?: string };
      if (e?.name === 'ValidationError' && /does not exist/i.test(e.message ?? '')) {
        throw new NotFound(`stackNames[${i}]`, 'the name of a deployed stack in this account and region', `stack ${stackName} does not exist in this account and region`);
      }
      throw err;
    });
    if (res.TemplateBody === undefined) throw new Error(`GetTemplate for ${stackName} answered without a template body`);
    bodies.push({ stackName, body: res.TemplateBody });
  }

  const out: TemplateBackup[] = [];
  for (const { stackName, body } of bodies) {
    const bytes = Buffer.from(body, 'utf8');
    const digest = createHash('sha256').update(bytes).digest();
    const sha256 = digest.toString('hex');
    const newest = await newestStored(s3, req.vault, stackName, retry);
    if (newest && newest.sha256 === sha256) {
      out.push({ stackName, key: newest.key, sha256, changed: false });
      continue;
    }
    const json = isJson(body);
    const key = `${templatePrefix(stackName)}${req.now.toISOString()}.${json ? 'json' : 'yaml'}`;
    await retry(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: req.vault,
          Key: key,
          Body: bytes,
          ContentType: json ? 'application/json' : 'application/yaml',
          Metadata: { [SHA256_METADATA]: sha256 },
          // Object Lock buckets refuse a PutObject without an integrity checksum; sending the one
          // computed here also makes S3 verify the stored bytes are the ones hashed.
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: digest.toString('base64'),
        }),
      ),
    );
    out.push({ stackName, key, sha256, changed: true });
  }
  return out;
}

/**
 * The newest stored template of a stack and its recorded hash. Keys are ISO timestamps, so the
 * last key in S3's (lexicographic) listing order is the newest; every page is read to reach it.
 */
async function newestStored(
  s3: S3Client,
  vault: string,
  stackName: string,
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<{ key: string; sha256: string | undefined } | undefined> {
  let newestKey: string | undefined;
  let token: string | undefined;
  do {
    const page = await retry(() => s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: templatePrefix(stackName), ContinuationToken: token }))).catch((err: unknown) => {
      throw isNoSuchBucket(err) ? missingBucket(vault, 'vault') : err;
    });
    for (const obj of page.Contents ?? []) if (obj.Key && (newestKey === undefined || obj.Key > newestKey)) newestKey = obj.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (newestKey === undefined) return undefined;
  const key = newestKey;
  const head = await retry(() => s3.send(new HeadObjectCommand({ Bucket: vault, Key: key })));
  // An object without the metadata (written by hand) never matches, so the next run stores a fresh copy.
  return { key, sha256: head.Metadata?.[SHA256_METADATA] };
}
