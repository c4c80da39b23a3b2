import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SETTINGS } from '../../lambda/shared/settings';
import { EnvironmentConfig } from '../config';
import { RunbookFunction } from '../constructs/runbook-function';

/** The task handlers (lambda/handlers/<name>.ts), each with its own function and role. */
export const TASK_HANDLERS = [
  'prepare-run',
  'restore-plan',
  'execute-batch',
  'snapshot',
  'verify-snapshot',
  'record-release',
  'mark-release-good',
  'resolve-rollback',
  'invalidate',
  'invalidation-status',
  'distribution-status',
  'move-alias',
  'validate-site',
  'log-export',
  'backup-templates',
  'infra-rollback',
  'report',
] as const;
export type TaskHandler = (typeof TASK_HANDLERS)[number];

export interface RunbookTasksProps {
  readonly config: EnvironmentConfig;
  readonly drillBucket: s3.IBucket;
  readonly distributionId: string;
  readonly standbyDistributionId: string;
  /** https://... of the site, of the standby distribution and of the primary distribution on its own name. */
  readonly siteUrl: string;
  readonly standbyUrl: string;
  readonly primaryUrl: string;
  /** Stacks whose templates the template backup stores, with their regions. */
  readonly stacks: Array<{ readonly name: string; readonly region: string }>;
  /** Stacks an infrastructure rollback may change (never the runbook stack running it). */
  readonly rollbackStacks: Array<{ readonly name: string; readonly region: string }>;
}

/** The default `cdk bootstrap` qualifier; its roles are named after it. */
const CDK_QUALIFIER = 'hnb659fds';

/** S3 actions by intent, so each grant below reads as what the task does. */
const S3_READ_VERSIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketVersioning', 's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'];
const S3_WRITE_VERSIONS = ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const VAULT_READ = ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes'];
const VAULT_WRITE = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/**
 * The Lambda tasks of every runbook: one function per handler, each role granted only the buckets,
 * distributions and actions its task uses. Buckets are addressed by their fixed names because they
 * live in other regions (content) and possibly another account (vault).
 */
export class RunbookTasks extends Construct {
  private readonly functions = new Map<TaskHandler, RunbookFunction>();

  constructor(scope: Construct, id: string, props: RunbookTasksProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const bucketArn = (name: string) => `arn:${stack.partition}:s3:::${name}`;
    const buckets = {
      content: bucketArn(config.bucketNames.content),
      replica: bucketArn(config.bucketNames.replica),
      vault: bucketArn(config.bucketNames.vault),
      drill: props.drillBucket.bucketArn,
    };
    const onBucket = (arn: string) => [arn, `${arn}/*`];
    const distributionArn = (id: string) => Arn.format({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: id }, stack);
    const machineArn = (pattern: string) => Arn.format({ service: 'states', resource: 'stateMachine', resourceName: pattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    const executionArn = (pattern: string) => Arn.format({ service: 'states', resource: 'execution', resourceName: pattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);

    const common: Record<string, string> = {
      [SETTINGS.environment]: config.name,
      [SETTINGS.vaultBucket]: config.bucketNames.vault,
      [SETTINGS.contentBucket]: config.bucketNames.content,
    };
    const make = (handler: TaskHandler, description: string, grants: iam.PolicyStatement[], environment: Record<string, string> = {}, timeout?: Duration) => {
      const fn = new RunbookFunction(this, handler, {
        handler,
        description,
        roleName: `${config.runbookRolePrefix}${handler}`,
        serviceName: `sitedr-${handler}`,
        environment: { ...common, ...environment },
        logRetention: logs.RetentionDays.THREE_MONTHS,
        timeout,
      });
      for (const statement of grants) fn.role.addToPrincipalPolicy(statement);
      // A task that touches the vault needs its key when the vault uses SSE-KMS.
      if (config.vault.kmsKey && grants.some((g) => g.resources.some((r) => r.startsWith(buckets.vault)))) {
        fn.role.addToPrincipalPolicy(vaultKeyUse(config, stack.partition));
      }
      this.functions.set(handler, fn);
      return fn;
    };
    const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) => new iam.PolicyStatement({ actions, resources, conditions });

    make('prepare-run', 'Parse runbook input, refuse overlapping runs, create the run record', [allow(['states:ListExecutions'], [machineArn(`${config.prefix}-*`)])], {
      [SETTINGS.approvalRequired]: String(config.tier.restoreNeedsApproval),
      // A full drill recovers the environment's live site: only where the config schedules one (staging by default).
      [SETTINGS.fullDrillAllowed]: String(config.tier.schedules.fullDrill !== null),
    });
    make(
      'restore-plan',
      'Plan a restore and record the plan and undo manifest before any change',
      [
        allow(S3_READ_VERSIONS, [...onBucket(buckets.content), ...onBucket(buckets.drill), ...onBucket(buckets.replica)]),
        allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault)),
      ],
      {
        [SETTINGS.replicaBucket]: config.bucketNames.replica,
        [SETTINGS.drillBucket]: props.drillBucket.bucketName,
        [SETTINGS.batchSize]: '500',
        [SETTINGS.inlineBatchLimit]: '40',
      },
      Duration.minutes(15),
    );
    make(
      'execute-batch',
      'Apply and verify one batch of a restore plan (adds versions and delete markers only)',
      [
        // DeleteObjectVersion removes delete markers (un-delete); the engine proves each id is a marker first.
        allow([...S3_READ_VERSIONS, ...S3_WRITE_VERSIONS, 's3:DeleteObject', 's3:DeleteObjectVersion'], [...onBucket(buckets.content), ...onBucket(buckets.drill)]),
        allow(S3_READ_VERSIONS, onBucket(buckets.replica)),
        allow(VAULT_READ, onBucket(buckets.vault)),
      ],
      { [SETTINGS.concurrency]: '64' },
      Duration.minutes(15),
    );
    make(
      'snapshot',
      'Incremental snapshot of the content bucket into the vault',
      [allow(S3_READ_VERSIONS, onBucket(buckets.content)), allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault))],
      { [SETTINGS.concurrency]: '64', [SETTINGS.snapshotReuseMaxAgeDays]: String(config.tier.snapshotReuseMaxAgeDays) },
      Duration.minutes(15),
    );
    make('verify-snapshot', 'Verify every object of a snapshot against its manifest', [allow(VAULT_READ, onBucket(buckets.vault))], {}, Duration.minutes(15));
    make('record-release', 'Record the deployed site as a release (key -> version id)', [
      allow(S3_READ_VERSIONS, onBucket(buckets.content)),
      allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault)),
    ]);
    make('mark-release-good', 'Mark a validated release as a rollback target', [allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault))]);
    make('resolve-rollback', 'Resolve the rollback target and write the audit record', [
      allow(S3_READ_VERSIONS, onBucket(buckets.content)),
      allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault)),
    ]);
    const primary = distributionArn(props.distributionId);
    const standby = distributionArn(props.standbyDistributionId);
    const distributionEnv = {
      [SETTINGS.distributionId]: props.distributionId,
      [SETTINGS.standbyDistributionId]: props.standbyDistributionId,
    };
    make('invalidate', 'Invalidate the whole site on both distributions once per run', [allow(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:ListInvalidations'], [primary, standby])], distributionEnv);
    make('invalidation-status', 'Read the run\'s invalidation statuses', [allow(['cloudfront:GetInvalidation'], [primary, standby])]);
    make('distribution-status', 'Read a distribution status', [allow(['cloudfront:GetDistribution'], [primary, standby])], distributionEnv);
    make(
      'move-alias',
      'Move the site hostname between the primary and standby distributions',
      [allow(['cloudfront:AssociateAlias', 'cloudfront:GetDistribution', 'cloudfront:ListConflictingAliases'], [primary, standby])],
      { ...distributionEnv, [SETTINGS.siteAlias]: config.domain?.recordName ?? '' },
    );
    make('validate-site', 'Validate the site over HTTP (status, links, headers, TLS, DNS, timing)', [allow(['cloudfront:GetDistribution'], [primary, standby])], {
      ...distributionEnv,
      [SETTINGS.siteUrl]: props.siteUrl,
      [SETTINGS.standbyUrl]: props.standbyUrl,
      [SETTINGS.primaryUrl]: props.primaryUrl,
      [SETTINGS.responseTimeLimitMs]: String(config.tier.responseTimeLimitMs),
      [SETTINGS.criticalPaths]: config.criticalPaths.join(','),
    });
    // CreateExportTask is granted per log group by the stack once the log groups exist; Describe has no resource scope.
    make('log-export', 'Start and follow CloudWatch Logs exports into the vault', [allow(['logs:DescribeExportTasks'], ['*'])]);
    make(
      'backup-templates',
      'Store changed CloudFormation templates in the vault',
      [
        allow(['cloudformation:GetTemplate', 'cloudformation:DescribeStacks'], props.stacks.map((s) => `arn:${stack.partition}:cloudformation:${s.region}:${config.account}:stack/${s.name}/*`)),
        allow([...VAULT_READ, ...VAULT_WRITE], onBucket(buckets.vault)),
      ],
      { [SETTINGS.stackNames]: props.stacks.map((s) => `${s.name}@${s.region}`).join(',') },
    );
    make(
      'infra-rollback',
      'Roll the site stacks back to the templates of a release with CloudFormation change sets',
      [
        allow(
          ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks'],
          props.rollbackStacks.map((s) => `arn:${stack.partition}:cloudformation:${s.region}:${config.account}:stack/${s.name}/*`),
        ),
        // CloudFormation acts through the role `cdk bootstrap` made for deployments, as `cdk deploy` does.
        allow(['iam:PassRole'], [`arn:${stack.partition}:iam::${config.account}:role/cdk-${CDK_QUALIFIER}-cfn-exec-role-${config.account}-*`], {
          StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
        }),
        allow(VAULT_READ, onBucket(buckets.vault)),
      ],
      {
        [SETTINGS.rollbackStacks]: props.rollbackStacks.map((s) => `${s.name}@${s.region}`).join(','),
        [SETTINGS.account]: config.account,
        [SETTINGS.vaultRegion]: config.vault.region,
        [SETTINGS.cdkQualifier]: CDK_QUALIFIER,
      },
    );
    make(
      'report',
      'Measure the run against RTO/RPO, write its report, publish metrics',
      [
        allow(['states:GetExecutionHistory'], [executionArn(`${config.prefix}-*`)]),
        allow(VAULT_WRITE, [`${buckets.vault}/reports/*`]),
      ],
      { [SETTINGS.rtoMinutes]: String(config.tier.rtoMinutes), [SETTINGS.rpoMinutes]: String(config.tier.rpoMinutes) },
    );
  }

  /** A LambdaInvoke of a task, with the service-exception retry CDK adds and the handler's return as result. */
  invoke(scope: Construct, stateName: string, handler: TaskHandler, payload: Record<string, unknown>, resultPath: string | null): tasks.LambdaInvoke {
    const fn = this.functions.get(handler);
    if (!fn) throw new Error(`RunbookTasks: no function for handler ${handler}`);
    return new tasks.LambdaInvoke(scope, stateName, {
      lambdaFunction: fn.function,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath,
    });
  }

  all(): RunbookFunction[] {
    return [...this.functions.values()];
  }

  functionOf(handler: TaskHandler): RunbookFunction {
    return this.functions.get(handler)!;
  }
}

/** Use of the vault's KMS key, only through S3 in the vault's region. */
export function vaultKeyUse(config: EnvironmentConfig, partition: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [`arn:${partition}:kms:${config.vault.region}:${config.vault.account}:key/*`],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${config.vault.region}.amazonaws.com` } },
  });
}
