/** EventBridge patterns that a rule in one region and its forwarder in another must share. */
import * as events from 'aws-cdk-lib/aws-events';
import { EnvironmentConfig } from './config';

/** The CloudFormation events of this environment's stacks finishing a deployment, in any region. */
export function deploymentEventPattern(config: EnvironmentConfig): events.EventPattern {
  return {
    source: ['aws.cloudformation'],
    detailType: ['CloudFormation Stack Status Change'],
    detail: { 'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] } },
    resources: events.Match.wildcard(`arn:*:cloudformation:*:${config.account}:stack/${config.prefix}-*`),
  };
}

/** The health-check alarm going into ALARM. */
export function healthAlarmEventPattern(alarmArn: string): events.EventPattern {
  return { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'], resources: [alarmArn], detail: { state: { value: ['ALARM'] } } };
}
