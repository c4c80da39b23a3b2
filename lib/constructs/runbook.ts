import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Tag naming the runbook on its state machine: how the CLI and the tests find each machine. */
export const RUNBOOK_TAG = 'sitedr:runbook';

export interface RunbookProps {
  /** Runbook name (backup, restore, validate, drill, rollback, failover, log-export, template-backup). */
  readonly runbook: string;
  /** Physical name: the runbooks find each other by name (one content-changing run at a time). */
  readonly stateMachineName: string;
  /**
   * Physical name of the state machine's role: a vault in another account trusts the runbook
   * roles by name prefix (a Distributed Map reads its batch index from the vault).
   */
  readonly roleName: string;
  /** The work: the chain of states, ending in Succeed/Fail states of its own. */
  readonly definition: sfn.IChainable;
  /** Longest a run may take before Step Functions stops it (and the failure alarm fires). */
  readonly timeout: Duration;
  /** Topic the failure alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** Retention of the execution log group. */
  readonly logRetention: logs.RetentionDays;
  /** What the runbook does, in one sentence (alarm description, console comment). */
  readonly description: string;
}

/**
 * A runbook: a standard Step Functions workflow with a timeout, full execution logging,
 * X-Ray tracing, and an alarm on any failed, timed-out or aborted execution.
 */
export class Runbook extends Construct {
  public readonly stateMachine: sfn.IStateMachine;
  public readonly failureAlarm: cloudwatch.IAlarm;
  public readonly logGroup: logs.ILogGroup;
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: RunbookProps) {
    super(scope, id);
    if (!/^[a-z][a-z-]*$/.test(props.runbook)) {
      throw new Error(`Runbook runbook: expected a lowercase name such as "restore", got "${props.runbook}"`);
    }
    if (props.timeout.toSeconds() < 60) {
      throw new Error(`Runbook timeout: expected at least 1 minute, got ${props.timeout.toHumanString()}`);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', { roleName: props.roleName, assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      role,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
      comment: props.description,
      timeout: props.timeout,
      tracingEnabled: true,
      // Every state transition is logged, but not the data: approval task tokens must not land in logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.stateMachine = machine;
    this.role = role;

    const failures = new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: machine.metricFailed({ statistic: 'Sum' }),
        timedOut: machine.metricTimedOut({ statistic: 'Sum' }),
        aborted: machine.metricAborted({ statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
      label: `${props.runbook} runs that did not succeed`,
    });
    const alarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription: `The ${props.runbook} runbook failed, timed out or was aborted: ${props.description}`,
      metric: failures,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    this.failureAlarm = alarm;
  }
}
