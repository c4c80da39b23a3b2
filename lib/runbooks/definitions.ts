/**
 * The state graphs of the runbooks (JSONPath, standard workflows). Every runbook has the same frame:
 *
 *   Prepare -> <work, writing results under $.outcome> -> Report -> Notify -> Succeeded
 *   any task fails -> ReportFailure -> NotifyFailure -> Failed (with the original error name)
 *   Prepare fails (bad input, overlapping run) -> Rejected (InvalidInput / RunInProgress), nothing touched
 *
 * Results accumulate under `$.outcome`, so a failure report still says what was planned and
 * changed so far and how to undo it.
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RunbookName } from '../../lambda/shared/runbook-inputs';
import { RunbookTasks, TaskHandler } from './runbook-tasks';

export interface DefinitionContext {
  readonly tasks: RunbookTasks;
  readonly topic: sns.ITopic;
  readonly vault: s3.IBucket;
  /** Log groups the log-export runbook exports. */
  readonly logGroupNames: string[];
  /** How often polling loops look again. */
  readonly pollInterval: Duration;
  /** Incident severity of this environment (P1 for prod), for the progress update. */
  readonly severity: string;
  /** prod / staging / dev. */
  readonly environment: string;
}

/** Errors our own tasks raise for transient conditions, retried with backoff by the state machine. */
const TRANSIENT_ERRORS = ['ExportInProgress', 'InvalidationsBusy'];

/** Builds one runbook's states inside its own scope (state names are unique per state machine). */
class RunbookBuilder {
  private readonly catchable: Array<sfn.TaskStateBase | sfn.Map | sfn.DistributedMap> = [];
  readonly failure: sfn.IChainable;

  constructor(
    readonly scope: Construct,
    readonly runbook: RunbookName,
    readonly ctx: DefinitionContext,
  ) {
    const reportFailure = this.task('ReportFailure', 'report', { 'run.$': '$.run', status: 'FAILED', 'outcome.$': '$.outcome', 'error.$': '$.error' }, '$.report', false);
    const notifyFailure = this.notify('NotifyFailure');
    const failed = new sfn.Fail(scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    this.failure = reportFailure.next(notifyFailure).next(failed);
  }

  /** A Lambda task whose failure (by default) routes to the failure report. */
  task(stateName: string, handler: TaskHandler, payload: Record<string, unknown>, resultPath: string | null, catchFailures = true): tasks.LambdaInvoke {
    const state = this.ctx.tasks.invoke(this.scope, stateName, handler, payload, resultPath);
    if (catchFailures) this.catchable.push(state);
    return state;
  }

  /** Routes the state's failures to the failure report. */
  map<T extends sfn.TaskStateBase | sfn.Map | sfn.DistributedMap>(state: T): T {
    this.catchable.push(state);
    return state;
  }

  notify(stateName: string): tasks.SnsPublish {
    return new tasks.SnsPublish(this.scope, stateName, {
      topic: this.ctx.topic,
      subject: sfn.JsonPath.stringAt('$.report.notification.subject'),
      message: sfn.TaskInput.fromJsonPathAt('$.report.notification.message'),
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** Sets `$.error` as a Catch would, for failures decided by a Choice (e.g. validation). */
  fail(stateName: string, error: string, cause: string): sfn.IChainable {
    return new sfn.Pass(this.scope, stateName, { result: sfn.Result.fromObject({ Error: error, Cause: cause }), resultPath: '$.error' }).next(this.failure);
  }

  /** Wraps the work in the frame described at the top of this file. */
  build(work: (done: sfn.IChainable) => sfn.IChainable): sfn.IChainable {
    const s = this.scope;
    const prepare = this.ctx.tasks.invoke(s, 'Prepare', 'prepare-run', { runbook: this.runbook, 'input.$': '$', 'execution.$': '$$.Execution' }, '$.run');
    prepare.addCatch(new sfn.Fail(s, 'Rejected', { errorPath: '$.error.Error', causePath: '$.error.Cause' }), { resultPath: '$.error' });
    const start = new sfn.Pass(s, 'StartOutcome', { result: sfn.Result.fromObject({}), resultPath: '$.outcome' });
    const report = this.task('Report', 'report', { 'run.$': '$.run', status: 'SUCCEEDED', 'outcome.$': '$.outcome' }, '$.report');
    const done = report.next(this.notify('Notify')).next(new sfn.Succeed(s, 'Succeeded'));
    const chain = sfn.Chain.start(prepare).next(start).next(work(done));
    for (const state of this.catchable) state.addCatch(this.failure, { resultPath: '$.error' });
    return chain;
  }

  /** Polls `check` every pollInterval until `isDone` holds; `isFailed` ends the run. */
  pollUntil(prefix: string, check: sfn.TaskStateBase, isDone: sfn.Condition, next: sfn.IChainable, failed?: { when: sfn.Condition; error: string; cause: string }): sfn.IChainable {
    const wait = new sfn.Wait(this.scope, `${prefix}Wait`, { time: sfn.WaitTime.duration(this.ctx.pollInterval) });
    const choice = new sfn.Choice(this.scope, `${prefix}Done?`).when(isDone, next);
    if (failed) choice.when(failed.when, this.fail(`${prefix}Failed`, failed.error, failed.cause));
    choice.otherwise(wait);
    wait.next(check);
    return check.next(choice);
  }

  /** Validates the site (or another endpoint) and fails the run, after the report, when a check failed. */
  validate(stateName: string, payload: Record<string, unknown>, next: sfn.IChainable): sfn.IChainable {
    const validate = this.task(stateName, 'validate-site', payload, '$.outcome.validation');
    return validate.next(
      new sfn.Choice(this.scope, `${stateName}Passed?`)
        .when(sfn.Condition.booleanEquals('$.outcome.validation.passed', true), next)
        .otherwise(this.fail(`${stateName}Failed`, 'ValidationFailed', 'The site failed validation; the report lists each failed check')),
    );
  }
}

/**
 * Plan -> (dry run stops here) -> (approval) -> execute in batches -> (live site: invalidate, validate).
 * Shared by restore, rollback and drill. Expects `$.plan` inputs built by `planState`.
 */
function restoreSteps(b: RunbookBuilder, plan: sfn.TaskStateBase, done: sfn.IChainable, opts: { approval: boolean; liveSite: 'always' | 'byInput' | 'never' }): sfn.IChainable {
  const s = b.scope;
  const batchItem = { 'batch.$': '$$.Map.Item.Value' };
  const inlineMap = b.map(
    new sfn.Map(s, 'ExecuteBatches', {
      itemsPath: '$.outcome.plan.batches',
      itemSelector: batchItem,
      maxConcurrency: 4,
      resultPath: '$.outcome.executed',
    }),
  );
  // Each iteration's output is the batch's counts ('$', not discarded): the report adds them up into its totals.
  inlineMap.itemProcessor(b.ctx.tasks.invoke(s, 'ExecuteBatch', 'execute-batch', { 'batch.$': '$.batch' }, '$').addRetry({ errors: ['ExecutionFailed'], maxAttempts: 2, interval: Duration.seconds(10), backoffRate: 2 }));
  // Above the inline limit the batches travel by S3: a Distributed Map reads the index the plan task wrote.
  const distributedMap = b.map(
    new sfn.DistributedMap(s, 'ExecuteBatchesDistributed', {
      itemReader: new sfn.S3JsonItemReader({ bucket: b.ctx.vault, key: sfn.JsonPath.stringAt('$.outcome.plan.batchIndex.key') }),
      itemSelector: batchItem,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      maxConcurrency: 40,
      // Any failed batch fails the Map (the default: no tolerated failures), and the run reports it.
      resultPath: '$.outcome.executed',
    }),
  );
  distributedMap.itemProcessor(
    b.ctx.tasks.invoke(s, 'ExecuteBatchDistributed', 'execute-batch', { 'batch.$': '$.batch' }, '$').addRetry({ errors: ['ExecutionFailed'], maxAttempts: 2, interval: Duration.seconds(10), backoffRate: 2 }),
  );

  let afterExecution: sfn.IChainable = done;
  if (opts.liveSite !== 'never') {
    const validated = b.validate('ValidateSite', { check: { endpoint: 'site' } }, done);
    const invalidate = b
      .task('Invalidate', 'invalidate', { 'runId.$': '$.run.runId' }, '$.outcome.invalidation')
      .addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 6 });
    const status = b.task('InvalidationStatus', 'invalidation-status', { 'invalidations.$': '$.outcome.invalidation.invalidations' }, '$.outcome.invalidation');
    const invalidateAndValidate = invalidate.next(
      new sfn.Choice(s, 'InvalidationStarted?').when(sfn.Condition.stringEquals('$.outcome.invalidation.status', 'Completed'), validated).otherwise(b.pollUntil('Invalidation', status, sfn.Condition.stringEquals('$.outcome.invalidation.status', 'Completed'), validated)),
    );
    afterExecution =
      opts.liveSite === 'always'
        ? invalidateAndValidate
        : new sfn.Choice(s, 'LiveSite?').when(sfn.Condition.stringEquals('$.run.input.target', 'site'), invalidateAndValidate).otherwise(done);
  }
  inlineMap.next(afterExecution);
  distributedMap.next(afterExecution);

  const execute = new sfn.Choice(s, 'InlineBatches?').when(sfn.Condition.isPresent('$.outcome.plan.batches[0]'), inlineMap).otherwise(distributedMap);

  const progress = progressUpdate(b, execute);
  let approved: sfn.IChainable = progress;
  if (opts.approval) {
    const approval = requestApproval(b, 'RequestApproval', sfn.JsonPath.stringAt('$.outcome.plan.diff'));
    b.map(approval);
    approved = new sfn.Choice(s, 'NeedsApproval?').when(sfn.Condition.booleanEquals('$.run.approvalRequired', true), approval.next(progress)).otherwise(progress);
  }
  // A plan with nothing to change (the same restore run twice) needs no approval, execution or invalidation.
  const afterPlan = new sfn.Choice(s, 'AnythingToChange?').when(sfn.Condition.numberEquals('$.outcome.plan.operations', 0), done).otherwise(approved);
  // Only restore and rollback inputs have dryRun; the drill's has none.
  const dryRun = sfn.Condition.and(sfn.Condition.isPresent('$.run.input.dryRun'), sfn.Condition.booleanEquals('$.run.input.dryRun', true));
  return plan.next(new sfn.Choice(s, 'DryRun?').when(dryRun, done).otherwise(afterPlan));
}

/** Waits for a person: an SNS message with the task token and the commands to approve or reject. */
function requestApproval(b: RunbookBuilder, stateName: string, detail: string): tasks.SnsPublish {
  return new tasks.SnsPublish(b.scope, stateName, {
    topic: b.ctx.topic,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    subject: sfn.JsonPath.format('Approval needed: {} {}', sfn.JsonPath.stringAt('$.run.runbook'), sfn.JsonPath.stringAt('$.run.environment')),
    message: sfn.TaskInput.fromText(
      sfn.JsonPath.format(
        '{} asks to run {} on {}: "{}".\nPlan: {}\n\nApprove:  sitedr approve {}\nReject:   sitedr reject {} --reason "..."',
        sfn.JsonPath.stringAt('$.run.requestedBy'),
        sfn.JsonPath.stringAt('$.run.runbook'),
        sfn.JsonPath.stringAt('$.run.environment'),
        sfn.JsonPath.stringAt('$.run.reason'),
        detail,
        sfn.JsonPath.taskToken,
        sfn.JsonPath.taskToken,
      ),
    ),
    taskTimeout: sfn.Timeout.duration(Duration.hours(24)),
    resultPath: '$.outcome.approval',
  });
}

/**
 * The DR plan's incident "update" message, sent when a recovery starts changing the site: what is
 * about to change and what comes next. A failed publish must not stop the recovery.
 */
function progressUpdate(b: RunbookBuilder, next: sfn.IChainable): sfn.IChainable {
  // States.Format takes numbers as well; CDK's typing wants every argument as a string path.
  const at = (path: string) => sfn.JsonPath.stringAt(path);
  const publish = new tasks.SnsPublish(b.scope, 'NotifyProgress', {
    topic: b.ctx.topic,
    subject: sfn.JsonPath.format(`[{}] UPDATE: {} in progress (${b.ctx.severity}) - Recovering`, at('$.run.environment'), at('$.run.runbook')),
    message: sfn.TaskInput.fromText(
      sfn.JsonPath.format(
        [
          `📊 UPDATE: {} in progress (${b.ctx.severity})`,
          'Environment: {}',
          'Status: Recovering',
          'Progress: plan {} ready: {} to copy, {} to hide, {} to un-delete, {} unchanged; executing in {} batch(es)',
          'Impact: the site is being restored; keys change one by one until the run ends',
          'Started: {}',
          'Next Step: verify every batch against the plan, invalidate CloudFront, validate the site',
          'Requested by: {} ({})',
        ].join('\n'),
        at('$.run.runbook'),
        at('$.run.environment'),
        at('$.run.runId'),
        at('$.outcome.plan.summary.copy'),
        at('$.outcome.plan.summary.hide'),
        at('$.outcome.plan.summary.unhide'),
        at('$.outcome.plan.summary.unchanged'),
        at('$.outcome.plan.batchCount'),
        at('$.run.startedAt'),
        at('$.run.requestedBy'),
        at('$.run.executionArn'),
      ),
    ),
    resultPath: sfn.JsonPath.DISCARD,
  });
  publish.addCatch(next, { resultPath: '$.progressNotificationError' });
  return publish.next(next);
}

export function backupDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'backup', ctx);
  return b.build((done) => {
    const snapshot = b.task('Snapshot', 'snapshot', {}, '$.outcome.snapshot');
    const verify = b.task('VerifySnapshot', 'verify-snapshot', { 'snapshotId.$': '$.outcome.snapshot.id' }, '$.outcome.snapshotVerification');
    const record = b.task('RecordRelease', 'record-release', { 'release.$': '$.run.input.release' }, '$.outcome.release');
    const markGood = b.task('MarkReleaseGood', 'mark-release-good', { 'releaseId.$': '$.outcome.release.releaseId', 'validation.$': '$.outcome.validation' }, '$.outcome.releaseGood');
    const release = record.next(b.validate('ValidateRelease', { check: { endpoint: 'site' } }, markGood.next(done)));
    return snapshot.next(verify).next(new sfn.Choice(scope, 'ReleaseMode?').when(sfn.Condition.stringEquals('$.run.input.mode', 'release'), release).otherwise(done));
  });
}

function planState(b: RunbookBuilder, stateName: string, source: string | Record<string, unknown>, target: string | 'site' | 'drill', prefix: string): tasks.LambdaInvoke {
  return b.task(
    stateName,
    'restore-plan',
    {
      'run.$': '$.run',
      ...(typeof source === 'string' ? { 'source.$': source } : { source }),
      ...(target.startsWith('$') ? { 'target.$': target } : { target }),
      ...(prefix.startsWith('$') ? { 'prefix.$': prefix } : { prefix }),
    },
    '$.outcome.plan',
  );
}

export function restoreDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'restore', ctx);
  return b.build((done) => restoreSteps(b, planState(b, 'Plan', '$.run.input.source', '$.run.input.target', '$.run.input.prefix'), done, { approval: true, liveSite: 'byInput' }));
}

export function rollbackDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'rollback', ctx);
  return b.build((done) => {
    const resolve = b.task('ResolveRollback', 'resolve-rollback', { 'run.$': '$.run' }, '$.outcome.rollback');
    const content = restoreSteps(b, planState(b, 'Plan', '$.outcome.rollback.source', 'site', ''), done, { approval: true, liveSite: 'always' });
    return resolve.next(new sfn.Choice(scope, 'Method?').when(sfn.Condition.stringEquals('$.outcome.rollback.method', 'infrastructure_only'), infrastructureRollback(b, done)).otherwise(content));
  });
}

/**
 * infrastructure_only: change sets back to the templates the release was deployed with (stored in
 * the vault by the template backup), checked, approved where required, executed, followed to the
 * end, and the site validated. Creating change sets changes nothing; a dry run stops there.
 */
function infrastructureRollback(b: RunbookBuilder, done: sfn.IChainable): sfn.IChainable {
  const s = b.scope;
  const plan = b.task('PlanInfrastructure', 'infra-rollback', { action: 'plan', 'run.$': '$.run', 'releaseId.$': '$.outcome.rollback.releaseId' }, '$.outcome.infrastructure');
  const changeSets = b.task('ChangeSetsStatus', 'infra-rollback', { action: 'status', 'changeSets.$': '$.outcome.infrastructure.changeSets' }, '$.outcome.changeSets');
  const execute = b.task('ExecuteChangeSets', 'infra-rollback', { action: 'execute', 'changeSets.$': '$.outcome.changeSets.changeSets' }, '$.outcome.executedStacks');
  const stacks = b.task('StacksStatus', 'infra-rollback', { action: 'stacks', 'stacks.$': '$.outcome.executedStacks.stacks' }, '$.outcome.stackUpdates');
  const validated = b.validate('ValidateInfrastructure', { check: { endpoint: 'site' } }, done);
  const followed = execute.next(
    b.pollUntil('StackUpdates', stacks, sfn.Condition.booleanEquals('$.outcome.stackUpdates.done', true), new sfn.Choice(s, 'StacksUpdated?').when(sfn.Condition.booleanEquals('$.outcome.stackUpdates.failed', true), b.fail('StackUpdateFailed', 'StackUpdateFailed', 'A stack update failed and CloudFormation rolled it back; the report lists each stack status')).otherwise(validated)),
  );
  const approval = b.map(requestApproval(b, 'RequestInfrastructureApproval', sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.outcome.changeSets.changeSets'))));
  const approved = new sfn.Choice(s, 'InfrastructureNeedsApproval?').when(sfn.Condition.booleanEquals('$.run.approvalRequired', true), approval.next(followed)).otherwise(followed);
  const dryRun = sfn.Condition.booleanEquals('$.run.input.dryRun', true);
  const ready = new sfn.Choice(s, 'InfrastructureDryRun?').when(dryRun, done).otherwise(approved);
  return plan.next(
    b.pollUntil('ChangeSets', changeSets, sfn.Condition.booleanEquals('$.outcome.changeSets.ready', true), ready, {
      when: sfn.Condition.booleanEquals('$.outcome.changeSets.failed', true),
      error: 'ChangeSetFailed',
      cause: 'CloudFormation could not create a change set back to the release template; the report lists each stack',
    }),
  );
}

export function validateDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'validate', ctx);
  return b.build((done) => {
    const watchStart = new sfn.Pass(scope, 'StartWatch', { parameters: { 'remaining.$': '$.run.input.watchMinutes', rounds: 1 }, resultPath: '$.watch' });
    const again = b.task('ValidateAgain', 'validate-site', { 'check.$': '$.run.input' }, '$.outcome.validation');
    const countdown = new sfn.Pass(scope, 'CountDown', { parameters: { 'remaining.$': 'States.MathAdd($.watch.remaining, -1)', 'rounds.$': 'States.MathAdd($.watch.rounds, 1)' }, resultPath: '$.watch' });
    const wait = new sfn.Wait(scope, 'WatchWait', { time: sfn.WaitTime.duration(Duration.minutes(1)) });
    const watching = new sfn.Choice(scope, 'Watching?').when(sfn.Condition.numberGreaterThan('$.watch.remaining', 0), wait).otherwise(done);
    wait.next(again).next(
      new sfn.Choice(scope, 'StillPassing?')
        .when(sfn.Condition.booleanEquals('$.outcome.validation.passed', true), countdown.next(watching))
        .otherwise(b.fail('WatchFailed', 'ValidationFailed', 'The site failed validation during the watch window; the report lists each failed check')),
    );
    return b.validate('ValidateSite', { 'check.$': '$.run.input' }, watchStart.next(watching));
  });
}

export function drillDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'drill', ctx);
  return b.build((done) => {
    const verify = b.task('VerifyDrillSnapshot', 'verify-snapshot', { 'snapshotId.$': '$.outcome.plan.source.snapshotId' }, '$.outcome.snapshotVerification');
    const newest = { type: 'snapshot' };
    const content = restoreSteps(b, planState(b, 'PlanDrill', newest, 'drill', ''), verify.next(done), { approval: false, liveSite: 'never' });
    return new sfn.Choice(scope, 'Kind?').when(sfn.Condition.stringEquals('$.run.input.kind', 'full'), fullDrill(b, done)).otherwise(content);
  });
}

/** The quarterly full drill: recover the environment's live site from the vault and validate it. */
function fullDrill(b: RunbookBuilder, done: sfn.IChainable): sfn.IChainable {
  const plan = b.task('PlanFullRecovery', 'restore-plan', { 'run.$': '$.run', source: { type: 'snapshot' }, target: 'site', prefix: '' }, '$.outcome.plan');
  const s = b.scope;
  const run = b.map(new sfn.Map(s, 'RecoverBatches', { itemsPath: '$.outcome.plan.batches', itemSelector: { 'batch.$': '$$.Map.Item.Value' }, maxConcurrency: 4, resultPath: '$.outcome.executed' }));
  run.itemProcessor(
    b.ctx.tasks.invoke(s, 'RecoverBatch', 'execute-batch', { 'batch.$': '$.batch' }, '$').addRetry({ errors: ['ExecutionFailed'], maxAttempts: 2, interval: Duration.seconds(10), backoffRate: 2 }),
  );
  const validated = b.validate('ValidateRecoveredSite', { check: { endpoint: 'site' } }, done);
  const invalidate = b
    .task('InvalidateRecovered', 'invalidate', { 'runId.$': '$.run.runId' }, '$.outcome.invalidation')
    .addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 6 });
  return plan.next(
    new sfn.Choice(s, 'RecoveryNeeded?')
      .when(sfn.Condition.numberEquals('$.outcome.plan.operations', 0), validated)
      .when(sfn.Condition.isPresent('$.outcome.plan.batches[0]'), run.next(invalidate).next(validated))
      .otherwise(b.fail('RecoveryTooLarge', 'PlanTooLarge', 'The full drill executes inline batches only; run the restore runbook for a recovery this large')),
  );
}

export function failoverDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'failover', ctx);
  return b.build((done) => {
    const s = scope;
    const toStandby = new sfn.Pass(s, 'TargetStandby', { result: sfn.Result.fromObject({ endpoint: 'standby', distribution: 'standby' }), resultPath: '$.switch' });
    const toPrimary = new sfn.Pass(s, 'TargetPrimary', { result: sfn.Result.fromObject({ endpoint: 'primary', distribution: 'primary' }), resultPath: '$.switch' });
    const preflight = b.task('ValidateTarget', 'validate-site', { check: { 'endpoint.$': '$.switch.endpoint' } }, '$.outcome.preflight');
    const move = b.task('MoveAlias', 'move-alias', { 'direction.$': '$.run.input.direction' }, '$.outcome.move');
    const status = b.task('TargetStatus', 'distribution-status', { 'distribution.$': '$.switch.distribution' }, '$.outcome.target');
    const validated = b.validate('ValidateSite', { check: { endpoint: 'site' } }, done);
    const switched = move.next(b.pollUntil('Deploy', status, sfn.Condition.stringEquals('$.outcome.target.status', 'Deployed'), validated));
    const checked = preflight.next(
      new sfn.Choice(s, 'TargetHealthy?')
        .when(sfn.Condition.booleanEquals('$.outcome.preflight.passed', true), switched)
        .otherwise(b.fail('TargetUnhealthy', 'ValidationFailed', 'The distribution traffic would move to failed validation; nothing was switched')),
    );
    toStandby.next(checked);
    toPrimary.next(checked);
    return new sfn.Choice(s, 'Direction?').when(sfn.Condition.stringEquals('$.run.input.direction', 'failover'), toStandby).otherwise(toPrimary);
  });
}

export function logExportDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'log-export', ctx);
  return b.build((done) => {
    const s = scope;
    const window = b.task('ExportWindow', 'log-export', { action: 'window', 'input.$': '$.run.input' }, '$.outcome.window');
    const groups = new sfn.Pass(s, 'LogGroups', { result: sfn.Result.fromArray(ctx.logGroupNames), resultPath: '$.logGroups' });
    // CloudWatch Logs runs one export task per account at a time: one group after the other.
    const each = b.map(
      new sfn.Map(s, 'ExportEach', {
        itemsPath: '$.logGroups',
        maxConcurrency: 1,
        itemSelector: {
          'logGroupName.$': '$$.Map.Item.Value',
          'index.$': '$$.Map.Item.Index',
          'from.$': '$.outcome.window.from',
          'to.$': '$.outcome.window.to',
          'runId.$': '$.run.runId',
        },
        resultPath: '$.outcome.exports',
      }),
    );
    const start = ctx.tasks
      .invoke(s, 'StartExport', 'log-export', { action: 'start', 'logGroupName.$': '$.logGroupName', 'from.$': '$.from', 'to.$': '$.to', 'taskName.$': "States.Format('{}-{}', $.runId, $.index)" }, '$.export')
      .addRetry({ errors: TRANSIENT_ERRORS, interval: Duration.seconds(60), backoffRate: 1.5, maxAttempts: 20 });
    const status = ctx.tasks.invoke(s, 'ExportStatus', 'log-export', { action: 'status', 'taskId.$': '$.export.taskId' }, '$.export.status');
    const wait = new sfn.Wait(s, 'ExportWait', { time: sfn.WaitTime.duration(ctx.pollInterval) });
    const finished = new sfn.Pass(s, 'Exported', { parameters: { 'logGroupName.$': '$.logGroupName', 'taskId.$': '$.export.taskId', 'destinationPrefix.$': '$.export.destinationPrefix' } });
    wait.next(status);
    each.itemProcessor(
      start.next(wait),
    );
    status.next(
      new sfn.Choice(s, 'ExportDone?')
        .when(sfn.Condition.stringEquals('$.export.status', 'COMPLETED'), finished)
        .when(sfn.Condition.or(sfn.Condition.stringEquals('$.export.status', 'PENDING'), sfn.Condition.stringEquals('$.export.status', 'RUNNING')), wait)
        .otherwise(new sfn.Fail(s, 'ExportFailed', { error: 'ExportFailed', cause: 'A CloudWatch Logs export task ended CANCELLED or FAILED' })),
    );
    return window.next(groups).next(each).next(done);
  });
}

export function templateBackupDefinition(scope: Construct, ctx: DefinitionContext): sfn.IChainable {
  const b = new RunbookBuilder(scope, 'template-backup', ctx);
  return b.build((done) => b.task('BackupTemplates', 'backup-templates', {}, '$.outcome.templates').next(done));
}

export const DEFINITIONS: Record<RunbookName, (scope: Construct, ctx: DefinitionContext) => sfn.IChainable> = {
  backup: backupDefinition,
  restore: restoreDefinition,
  validate: validateDefinition,
  drill: drillDefinition,
  rollback: rollbackDefinition,
  failover: failoverDefinition,
  'log-export': logExportDefinition,
  'template-backup': templateBackupDefinition,
};
