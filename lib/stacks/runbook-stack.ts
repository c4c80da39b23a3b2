import { CfnOutput, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { RunbookName } from '../../lambda/shared/runbook-inputs';
import { EnvironmentConfig } from '../config';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AlertTopic } from '../constructs/alert-topic';
import { DrDashboard } from '../constructs/dr-dashboard';
import { RecoveryAlarms } from '../constructs/recovery-alarms';
import { secureBucketProps } from '../constructs/bucket-defaults';
import { Runbook, RUNBOOK_TAG } from '../constructs/runbook';
import { DEFINITIONS } from '../runbooks/definitions';
import { RunbookTasks } from '../runbooks/runbook-tasks';
import { deploymentEventPattern, healthAlarmEventPattern } from '../event-patterns';
import { vaultKeyUse } from '../runbooks/runbook-tasks';
import { acknowledgeReviewedFindings } from '../reviewed-findings';

export interface RunbookStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly distributionId: string;
  readonly distributionDomainName: string;
  readonly standbyDistributionId: string;
  readonly standbyDistributionDomainName: string;
  /**
   * The site's Route 53 health check, for the dashboard.
   * @default - none (no domain)
   */
  readonly healthCheckId?: string;
  /**
   * ARN of the health-check alarm; with `automaticFailover` it starts the failover runbook.
   * @default - none (no domain)
   */
  readonly healthAlarmArn?: string;
  /** Stacks whose templates the template-backup runbook stores. */
  readonly siteStacks: Array<{ readonly name: string; readonly region: string }>;
}

/** How long each runbook may run before Step Functions stops it. */
const TIMEOUTS: Record<RunbookName, Duration> = {
  backup: Duration.hours(2),
  restore: Duration.hours(25), // includes up to 24 h waiting for an approval
  validate: Duration.hours(3),
  drill: Duration.hours(2),
  rollback: Duration.hours(25),
  failover: Duration.hours(1),
  'log-export': Duration.hours(6),
  'template-backup': Duration.minutes(30),
};

const DESCRIPTIONS: Record<RunbookName, string> = {
  backup: 'Snapshot the site into the vault and verify it; in release mode record and validate a release',
  restore: 'Restore the site (point in time, snapshot, replica, release, version, undelete, undo): plan, approve, execute, verify, invalidate, validate',
  validate: 'Validate the site over HTTP against the checklist, optionally watching it',
  drill: 'Restore the newest snapshot into the drill bucket and measure RTO and RPO (full: recover the site itself)',
  rollback: 'Roll the site back to a release (last known good, by id or commit) with an audit record',
  failover: 'Move the site hostname to the standby distribution and back, validating before and after',
  'log-export': 'Export the previous week of runbook logs into the vault',
  'template-backup': 'Store changed CloudFormation templates of the site stacks in the vault',
};

/**
 * The runbooks, in the recovery region so they work when the primary region is down: one state
 * machine per runbook, their Lambda tasks, the drill bucket, schedules, alarms and the alert topic.
 */
export class RunbookStack extends Stack {
  public readonly runbooks = new Map<RunbookName, Runbook>();
  public readonly drillBucket: s3.IBucket;
  public readonly alertTopic: AlertTopic;

  constructor(scope: Construct, id: string, props: RunbookStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logs_ = new AccessLogBucket(this, 'AccessLogs');
    // Drills restore here, never into the live site; what they leave expires after a week.
    this.drillBucket = new s3.Bucket(
      this,
      'DrillBucket',
      secureBucketProps({
        serverAccessLogsBucket: logs_.bucket,
        serverAccessLogsPrefix: 's3/drill/',
        lifecycleRules: [{ id: 'expire-drill-content', expiration: Duration.days(7), noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: false }],
      }),
    );
    this.alertTopic = new AlertTopic(this, 'Alerts', { email: config.alertEmail });
    const vault = s3.Bucket.fromBucketAttributes(this, 'Vault', { bucketName: config.bucketNames.vault, account: config.vault.account, region: config.vault.region });

    const https = (host: string) => `https://${host}`;
    const tasks = new RunbookTasks(this, 'Tasks', {
      config,
      drillBucket: this.drillBucket,
      distributionId: props.distributionId,
      standbyDistributionId: props.standbyDistributionId,
      siteUrl: https(config.domain?.recordName ?? props.distributionDomainName),
      standbyUrl: https(config.domain?.standbyRecordName ?? props.standbyDistributionDomainName),
      primaryUrl: https(props.distributionDomainName),
      stacks: [...props.siteStacks, { name: this.stackName, region: this.region }],
      rollbackStacks: props.siteStacks,
    });

    const runbookNames = (Object.keys(DEFINITIONS) as RunbookName[]).filter((name) => name !== 'failover' || config.domain !== undefined);
    const logGroupNames: string[] = [];
    for (const name of runbookNames) {
      const scopeForStates = new Construct(this, `${toPascal(name)}States`);
      const definition = DEFINITIONS[name](scopeForStates, {
        tasks,
        topic: this.alertTopic.topic,
        vault,
        logGroupNames,
        pollInterval: Duration.seconds(30),
        severity: config.tier.incidentSeverity,
        environment: config.name,
      });
      const runbook = new Runbook(this, toPascal(name), {
        runbook: name,
        stateMachineName: `${config.prefix}-${name}`,
        roleName: `${config.runbookRolePrefix}sm-${name}`,
        definition,
        timeout: TIMEOUTS[name],
        alarmTopic: this.alertTopic.topic,
        logRetention: logs.RetentionDays.THREE_MONTHS,
        description: DESCRIPTIONS[name],
      });
      Tags.of(runbook.stateMachine).add(RUNBOOK_TAG, name);
      this.runbooks.set(name, runbook);
      new CfnOutput(this, `${toPascal(name)}StateMachineArn`, { value: runbook.stateMachine.stateMachineArn, description: DESCRIPTIONS[name] });
    }
    if (config.vault.kmsKey) {
      // The Distributed Map reads the batch index from the vault; with SSE-KMS that needs the key.
      for (const name of ['restore', 'rollback', 'drill'] as const) {
        this.runbooks.get(name)?.role.addToPrincipalPolicy(vaultKeyUse(config, this.partition));
      }
    }
    // The log-export runbook exports every runbook's and task's logs (filled in after they exist).
    for (const runbook of this.runbooks.values()) logGroupNames.push(runbook.logGroup.logGroupName);
    for (const fn of tasks.all()) logGroupNames.push(fn.logGroup.logGroupName);
    tasks.functionOf('log-export').role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateExportTask'], resources: [...this.runbooks.values(), ...tasks.all()].map((x) => x.logGroup.logGroupArn) }),
    );

    this.addSchedules(config);
    this.backUpTemplatesAfterDeployments(config);
    if (config.automaticFailover && props.healthAlarmArn) {
      new events.Rule(this, 'FailoverOnHealthAlarm', {
        description: `${config.prefix}: start the failover runbook when the site's health check fails`,
        eventPattern: healthAlarmEventPattern(props.healthAlarmArn),
        targets: [
          new eventTargets.SfnStateMachine(this.runbooks.get('failover')!.stateMachine, {
            input: events.RuleTargetInput.fromObject({ direction: 'failover', reason: 'The site health-check alarm went into ALARM', requestedBy: 'health-check alarm' }),
          }),
        ],
      });
    }
    new RecoveryAlarms(this, 'RecoveryAlarms', { config, topic: this.alertTopic.topic });
    new DrDashboard(this, 'Dashboard', {
      config,
      distributionId: props.distributionId,
      standbyDistributionId: props.standbyDistributionId,
      healthCheckId: props.healthCheckId,
      runbooks: [...this.runbooks].map(([name, r]) => ({
        name,
        succeeded: r.stateMachine.metricSucceeded({ label: name, period: Duration.hours(1) }),
        failed: r.stateMachine.metricFailed({ label: name, period: Duration.hours(1) }),
      })),
    });
    new CfnOutput(this, 'DrillBucketName', { value: this.drillBucket.bucketName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topic.topicArn });
    acknowledgeReviewedFindings(this);
  }

  /**
   * Templates are backed up after every successful deployment: stacks in this region report here
   * directly; the site stack forwards its region's events to this region's default bus.
   */
  private backUpTemplatesAfterDeployments(config: EnvironmentConfig): void {
    new events.Rule(this, 'TemplateBackupAfterDeployment', {
      description: `${config.prefix}: back up templates when a stack of this environment finishes deploying`,
      eventPattern: deploymentEventPattern(config),
      targets: [new eventTargets.SfnStateMachine(this.runbooks.get('template-backup')!.stateMachine, { input: events.RuleTargetInput.fromObject({ requestedBy: 'deployment' }) })],
    });
  }

  private addSchedules(config: EnvironmentConfig): void {
    const s = config.tier.schedules;
    const planned: Array<[string, RunbookName, string | null, Record<string, unknown>]> = [
      ['Backup', 'backup', s.backup, { mode: 'snapshot', requestedBy: 'schedule' }],
      ['Drill', 'drill', s.drill, { kind: 'content', requestedBy: 'schedule' }],
      ['FullDrill', 'drill', s.fullDrill, { kind: 'full', requestedBy: 'schedule' }],
      ['LogExport', 'log-export', s.logExport, {}],
      ['TemplateBackup', 'template-backup', s.templateBackup, { requestedBy: 'schedule' }],
    ];
    for (const [id, runbook, expression, input] of planned) {
      if (expression === null) continue;
      const machine = this.runbooks.get(runbook)!.stateMachine;
      new scheduler.Schedule(this, `${id}Schedule`, {
        description: `${config.prefix}: ${runbook} (${expression}, UTC)`,
        schedule: scheduler.ScheduleExpression.expression(expression),
        target: new schedulerTargets.StepFunctionsStartExecution(machine, { input: scheduler.ScheduleTargetInput.fromObject(input) }),
      });
    }
  }
}

function toPascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

