/**
 * CloudFront adapters for the runbooks: invalidate the cache after a restore, read a distribution's
 * state, and move the site's hostname between the primary and the standby distribution (failover).
 *
 * Clients are passed in so handlers keep one at module scope and tests point one at the emulator
 * or at aws-sdk-client-mock. CloudFront is a global service: the client's region is irrelevant to
 * the API, but a region is still needed for signing (us-east-1).
 */
import {
  AssociateAliasCommand,
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  ListConflictingAliasesCommand,
} from '@aws-sdk/client-cloudfront';
import { AliasMoveRejected, InvalidInput, InvalidationsBusy, NotFound } from '../shared/errors';

/** Every path of the site, as ONE path: CloudFront bills a wildcard as one path, and counts it once against the in-progress limit. */
export const INVALIDATE_ALL = '/*';

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | null)?.name;
}

function missingDistribution(distributionId: string, field: string): NotFound {
  return new NotFound(field, 'the id of an existing CloudFront distribution in this account', `CloudFront distribution ${distributionId} does not exist (or this account cannot see it)`);
}

function requireId(value: string, field: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInput(field, what, `${field} must be ${what}, got ${JSON.stringify(value)}`);
}

/**
 * CloudFront's spelling of invalidation states is `InProgress` / `Completed`; moto answers
 * `COMPLETED`. Known states are returned in CloudFront's spelling so a Choice state can compare
 * against one literal; anything else is passed through untouched.
 */
export function normaliseInvalidationStatus(status: string | undefined): 'InProgress' | 'Completed' | string {
  const s = status ?? '';
  const compact = s.replace(/[_\s-]/g, '').toLowerCase();
  if (compact === 'inprogress') return 'InProgress';
  if (compact === 'completed') return 'Completed';
  return s;
}

export interface StartedInvalidation {
  readonly invalidationId: string;
  readonly status: 'InProgress' | 'Completed' | string;
}

/**
 * Invalidates the whole distribution (`/*`). Idempotent by `callerReference`: pass the Step
 * Functions execution name, and a retried task gets the invalidation the first attempt created
 * instead of a second one (CloudFront returns the existing invalidation when the caller reference
 * and the batch are the same; the batch here never varies, so it always is).
 */
export async function startInvalidation(cf: CloudFrontClient, distributionId: string, callerReference: string): Promise<StartedInvalidation> {
  requireId(distributionId, 'distributionId', 'a CloudFront distribution id');
  requireId(callerReference, 'callerReference', 'a non-empty string that is the same on every retry (the execution name)');
  try {
    const res = await cf.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: 1, Items: [INVALIDATE_ALL] } },
      }),
    );
    const inv = res.Invalidation;
    if (!inv?.Id) throw new Error(`CreateInvalidation on ${distributionId} answered without an invalidation id`);
    return { invalidationId: inv.Id, status: normaliseInvalidationStatus(inv.Status) };
  } catch (err) {
    if (errorName(err) === 'NoSuchDistribution') throw missingDistribution(distributionId, 'distributionId');
    if (errorName(err) === 'TooManyInvalidationsInProgress') throw new InvalidationsBusy(distributionId);
    throw err;
  }
}

/** The invalidation's state: `InProgress` until every edge location has dropped the paths, then `Completed`. */
export async function invalidationStatus(cf: CloudFrontClient, distributionId: string, invalidationId: string): Promise<'InProgress' | 'Completed' | string> {
  requireId(distributionId, 'distributionId', 'a CloudFront distribution id');
  requireId(invalidationId, 'invalidationId', 'the id startInvalidation returned');
  try {
    const res = await cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidationId }));
    return normaliseInvalidationStatus(res.Invalidation?.Status);
  } catch (err) {
    if (errorName(err) === 'NoSuchDistribution') throw missingDistribution(distributionId, 'distributionId');
    if (errorName(err) === 'NoSuchInvalidation') {
      throw new NotFound('invalidationId', 'the id of an invalidation of this distribution', `distribution ${distributionId} has no invalidation ${invalidationId}`);
    }
    throw err;
  }
}

export interface DistributionState {
  /** `InProgress` while a change propagates to the edge, `Deployed` once it has. */
  readonly status: string;
  readonly enabled: boolean;
  /** Alternate domain names (CNAMEs) the distribution answers for. */
  readonly aliases: string[];
  /** The distribution's own hostname (`d111111abcdef8.cloudfront.net`). */
  readonly domainName: string;
}

export async function distributionStatus(cf: CloudFrontClient, distributionId: string): Promise<DistributionState> {
  requireId(distributionId, 'distributionId', 'a CloudFront distribution id');
  try {
    const res = await cf.send(new GetDistributionCommand({ Id: distributionId }));
    const d = res.Distribution;
    return {
      status: d?.Status ?? '',
      enabled: d?.DistributionConfig?.Enabled ?? false,
      aliases: [...(d?.DistributionConfig?.Aliases?.Items ?? [])],
      domainName: d?.DomainName ?? '',
    };
  } catch (err) {
    if (errorName(err) === 'NoSuchDistribution') throw missingDistribution(distributionId, 'distributionId');
    throw err;
  }
}

/** A hostname CloudFront accepts as an alternate domain name: lowercase labels, optionally one leading `*.`. */
const ALIAS_PATTERN = /^(\*\.)?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

export interface MoveAliasInput {
  /** The alternate domain name to move, e.g. `www.example.com`. */
  readonly alias: string;
  /** The distribution that must serve the alias afterwards. */
  readonly targetDistributionId: string;
}

export interface MoveAliasResult {
  /** False when the target already had the alias (nothing was changed). */
  readonly moved: boolean;
  /**
   * The distribution that held the alias before the move, as ListConflictingAliases reports it:
   * CloudFront masks most of the id (`*******EXAMPLE`), so it identifies, it does not address.
   * Absent when no distribution held the alias, or when nothing was moved.
   */
  readonly from?: string;
}

/**
 * Moves an alternate domain name to `targetDistributionId` with AssociateAlias, in one step with
 * no window in which neither distribution answers for the hostname (removing it from one
 * distribution and adding it to the other would leave one). A hostname can belong to only one
 * distribution, and CloudFront routes by Host header, so this, not DNS alone, is what moves traffic.
 *
 * What AWS requires for AssociateAlias (CloudFront Developer Guide, "Move an alternate domain name"):
 * - The target must have a trusted TLS certificate (ACM, us-east-1) whose names cover the alias,
 *   exactly or by wildcard. The standby distribution's certificate covers both the site hostname
 *   and its own, so failover and failback both qualify. ListConflictingAliases has the same
 *   precondition: it only answers for a distribution whose certificate covers the alias.
 * - CloudFront verifies control of the domain through a DNS TXT record `_<alias>` (e.g.
 *   `_www.example.com`) whose value is the target distribution's domain name
 *   (`d111111abcdef8.cloudfront.net`). The DNS stack publishes one record naming BOTH
 *   distributions, so it never has to change during a failover. This matters most across
 *   accounts; within one account AWS also offers UpdateDomainAssociation.
 * - The call is made with credentials of the target distribution's account; moving from a
 *   distribution in another account needs that TXT record (or a wildcard move, or AWS Support).
 * - AssociateAlias works on standard distributions only (not distribution tenants).
 * Afterwards the target is `InProgress` until the change reaches the edge: poll
 * distributionStatus for `Deployed` before validating the site.
 *
 * Idempotent: when the target already lists the alias, nothing is called beyond GetDistribution.
 */
export async function moveAlias(cf: CloudFrontClient, input: MoveAliasInput): Promise<MoveAliasResult> {
  const alias = typeof input.alias === 'string' ? input.alias.trim().toLowerCase().replace(/\.$/, '') : input.alias;
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    throw new InvalidInput('alias', 'a hostname such as www.example.com', `alias must be a hostname such as www.example.com, got ${JSON.stringify(input.alias)}`);
  }
  const target = input.targetDistributionId;
  requireId(target, 'targetDistributionId', 'a CloudFront distribution id');

  let current: DistributionState;
  try {
    current = await distributionStatus(cf, target);
  } catch (err) {
    if (err instanceof NotFound) throw missingDistribution(target, 'targetDistributionId');
    throw err;
  }
  if (current.aliases.some((a) => a.toLowerCase() === alias)) return { moved: false };

  const rejected = (err: unknown): never => {
    const name = errorName(err);
    if (name === 'NoSuchDistribution') throw missingDistribution(target, 'targetDistributionId');
    if (name === 'IllegalUpdate' || name === 'InvalidArgument') throw new AliasMoveRejected(alias, target, (err as Error).message || name);
    throw err;
  };

  const from = await findAliasHolder(cf, target, alias).catch(rejected);
  await cf.send(new AssociateAliasCommand({ TargetDistributionId: target, Alias: alias })).catch(rejected);
  return from ? { moved: true, from } : { moved: true };
}

/** The (masked) id of the distribution holding exactly `alias`, through every page of ListConflictingAliases. */
async function findAliasHolder(cf: CloudFrontClient, targetDistributionId: string, alias: string): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const res = await cf.send(new ListConflictingAliasesCommand({ DistributionId: targetDistributionId, Alias: alias, Marker: marker, MaxItems: 100 }));
    const list = res.ConflictingAliasesList;
    // The list also holds overlapping wildcards (*.example.com); only the exact alias is "where it was".
    const exact = (list?.Items ?? []).find((item) => item.Alias?.toLowerCase() === alias);
    if (exact?.DistributionId) return exact.DistributionId;
    marker = list?.NextMarker || undefined;
  } while (marker);
  return undefined;
}
