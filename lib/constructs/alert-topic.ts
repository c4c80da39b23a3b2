import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  /**
   * Address subscribed to the alerts (the subscription must be confirmed from the e-mail).
   * @default - no subscription
   */
  readonly email?: string;
}

/**
 * The SNS topic a region's alarms and EventBridge rules publish to: encrypted with a customer-managed
 * key (neither can publish to a topic under the AWS-managed SNS key) and TLS-only.
 */
export class AlertTopic extends Construct {
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', { description: 'Encrypts DR alert notifications', enableKeyRotation: true });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsAndEventsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'Site DR alerts' });
    if (props.email) topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.topic = topic;
  }
}
