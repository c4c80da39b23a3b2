/** Publishes incident messages (rendered by core/incident) to the runbooks' SNS topic. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { IncidentMessage, renderIncident } from '../core/incident';
import { InvalidInput, NotFound } from '../shared/errors';

export interface PublishedIncident {
  readonly messageId: string;
  readonly subject: string;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * Renders and publishes one incident message. The subject goes to e-mail subscribers as the mail
 * subject; `kind`, `severity` and `environment` are also sent as message attributes so a
 * subscription can filter (e.g. page only on P1 in prod). Rendering errors (InvalidInput) are
 * thrown before anything is published.
 */
export async function publishIncident(sns: SNSClient, topicArn: string, message: IncidentMessage): Promise<PublishedIncident> {
  if (typeof topicArn !== 'string' || !TOPIC_ARN.test(topicArn)) {
    throw new InvalidInput('topicArn', 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)', `topicArn is not an SNS topic ARN: ${JSON.stringify(topicArn)}`);
  }
  const { subject, body } = renderIncident(message);
  try {
    const res = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: subject,
        Message: body,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: message.kind },
          severity: { DataType: 'String', StringValue: message.severity },
          environment: { DataType: 'String', StringValue: message.environment },
        },
      }),
    );
    if (!res.MessageId) throw new Error(`Publish to ${topicArn} answered without a message id`);
    return { messageId: res.MessageId, subject };
  } catch (err) {
    if ((err as { name?: string } | null)?.name === 'NotFoundException') {
      throw new NotFound('topicArn', 'an existing SNS topic', `SNS topic ${topicArn} does not exist (or this account cannot see it)`);
    }
    throw err;
  }
}
