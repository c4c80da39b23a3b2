/**
 * Named errors. Step Functions Retry/Catch and the CLI's exit codes match on `name`, so every
 * class sets its own literal name; the message says what was wrong and what was expected.
 */

/** Base of the errors caused by the caller's input: nothing has been touched when one is thrown. */
export abstract class BadInput extends Error {
  /** The input field at fault, as the caller spelled it (CLI flag or request property). */
  readonly field: string;
  /** What would have been accepted. */
  readonly expected: string;

  constructor(field: string, expected: string, message: string) {
    super(message);
    this.field = field;
    this.expected = expected;
  }
}

/** The input is malformed, out of range, ambiguous, or asks for something unsafe. */
export class InvalidInput extends BadInput {
  override readonly name = 'InvalidInput';
}

/** The input names a bucket, key, version, snapshot or manifest that does not exist. */
export class NotFound extends BadInput {
  override readonly name = 'NotFound';
}

/** A plan is too large to travel inline (Step Functions payloads are capped at 256 KB); store it in S3. */
export class PlanTooLarge extends Error {
  override readonly name = 'PlanTooLarge';
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(`the plan takes ${bytes} bytes inline, over the ${limitBytes}-byte limit; store it in S3 and pass its location`);
  }
}

/** One key whose observed state differs from what the plan or manifest intended. */
export interface Mismatch {
  readonly key: string;
  readonly expected: string;
  readonly actual: string;
}

/** After execution (or for a snapshot), some keys are not in the intended state. */
export class VerificationFailed extends Error {
  override readonly name = 'VerificationFailed';
  constructor(
    readonly mismatches: readonly Mismatch[],
    what = 'verification',
  ) {
    const shown = mismatches
      .slice(0, 10)
      .map((m) => `${m.key}: expected ${m.expected}, found ${m.actual}`)
      .join('; ');
    const more = mismatches.length > 10 ? ` (and ${mismatches.length - 10} more)` : '';
    super(`${what} failed for ${mismatches.length} key(s): ${shown}${more}`);
  }
}

/** Some operations still failed after retries; the others were applied and a re-run converges. */
export class ExecutionFailed extends Error {
  override readonly name = 'ExecutionFailed';
  constructor(readonly failures: readonly { readonly key: string; readonly error: string }[]) {
    const shown = failures
      .slice(0, 10)
      .map((f) => `${f.key}: ${f.error}`)
      .join('; ');
    super(`${failures.length} operation(s) failed after retries: ${shown}`);
  }
}

/** True for errors caused by the caller's input (CLI exit code 2). */
export function isBadInput(err: unknown): err is BadInput {
  return err instanceof BadInput;
}

/** Another run that must not overlap this one is still running; this run touched nothing. */
export class RunInProgress extends Error {
  override readonly name = 'RunInProgress';
  constructor(readonly blockingExecutionArn: string) {
    super(`another run is in progress (${blockingExecutionArn}); wait for it to finish or stop it, then start this run again`);
  }
}

/**
 * CloudWatch Logs runs one export task (PENDING or RUNNING) per account at a time and refuses a
 * second with LimitExceededException. Transient by nature: Step Functions retries this name with
 * backoff until the other export finishes.
 */
export class ExportInProgress extends Error {
  override readonly name = 'ExportInProgress';
  constructor(
    readonly logGroupName: string,
    readonly activeTaskId?: string,
  ) {
    super(
      `cannot export ${logGroupName} yet: another CloudWatch Logs export task${activeTaskId ? ` (${activeTaskId})` : ''} is still pending or running, and AWS allows one per account at a time`,
    );
  }
}

/**
 * CloudFront refuses new invalidations while too many are in progress for the distribution
 * (TooManyInvalidationsInProgress; 15 wildcard paths at a time). Transient: retry with backoff.
 */
export class InvalidationsBusy extends Error {
  override readonly name = 'InvalidationsBusy';
  constructor(readonly distributionId: string) {
    super(`distribution ${distributionId} has too many invalidations in progress; retry once some have completed`);
  }
}

/**
 * CloudFront refused to move an alternate domain name (AssociateAlias / ListConflictingAliases
 * answered IllegalUpdate or InvalidArgument). Not transient: the target's certificate must cover
 * the alias and the `_<alias>` TXT record must name the target; fix those, then re-run.
 */
export class AliasMoveRejected extends Error {
  override readonly name = 'AliasMoveRejected';
  constructor(
    readonly alias: string,
    readonly targetDistributionId: string,
    readonly reason: string,
  ) {
    super(
      `CloudFront refused to move ${alias} to distribution ${targetDistributionId}: ${reason}. Check that the target's certificate covers ${alias} and that the TXT record _${alias} names the target distribution's domain`,
    );
  }
}
