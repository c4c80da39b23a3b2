/**
 * Incident notification against moto: SNS fans a publish out to a subscribed SQS queue, which is
 * read back. No SQS client package is installed, so the queue is driven with moto's SQS JSON API
 * over fetch (moto does not check signatures; the Authorization header only routes to SQS).
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { randomBytes } from 'node:crypto';
import { publishIncident } from '../../lambda/aws/notify';
import { renderIncident } from '../../lambda/core/incident';

const sns = new SNSClient({ region: 'us-east-1' });
afterAll(() => sns.destroy());

async function sqs<T>(action: string, body: Record<string, unknown>): Promise<T> {
  const endpoint = process.env.AWS_ENDPOINT_URL!;
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`SQS ${action}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const initial = {
  kind: 'initial' as const,
  title: 'Website Outage',
  severity: 'P1' as const,
  environment: 'prod',
  status: 'Investigating',
  impact: 'Complete service unavailable',
  startedAt: '2025-10-07T14:23:00Z',
  nextStep: 'Failing over to the standby distribution',
};

test('the rendered incident reaches a subscribed queue with its subject, body and attributes', async () => {
  const suffix = randomBytes(4).toString('hex');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `incidents-${suffix}` }));
  const { QueueUrl } = await sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: `incidents-${suffix}` });
  const queueArn = `arn:aws:sqs:us-east-1:123456789012:incidents-${suffix}`;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn }));

  const published = await publishIncident(sns, TopicArn!, initial);
  const expected = renderIncident(initial);
  expect(published.subject).toBe(expected.subject);

  const { Messages } = await sqs<{ Messages?: Array<{ Body: string }> }>('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 });
  expect(Messages).toHaveLength(1);
  const envelope = JSON.parse(Messages![0].Body) as { MessageId: string; Subject: string; Message: string; MessageAttributes?: Record<string, { Value: string }> };
  expect(envelope.MessageId).toBe(published.messageId);
  expect(envelope.Subject).toBe('[prod] INCIDENT: Website Outage (P1) - Investigating');
  expect(envelope.Message).toBe(expected.body);
  expect(envelope.Message).toContain('\u{1F6A8} INCIDENT');
  expect(envelope.MessageAttributes).toMatchObject({ kind: { Value: 'initial' }, severity: { Value: 'P1' }, environment: { Value: 'prod' } });
});

test('an unknown topic is NotFound naming topicArn; a malformed one or a bad message is refused before publishing', async () => {
  await expect(publishIncident(sns, 'arn:aws:sns:us-east-1:123456789012:no-such-topic', initial)).rejects.toMatchObject({ name: 'NotFound', field: 'topicArn' });
  await expect(publishIncident(sns, 'incidents', initial)).rejects.toMatchObject({ name: 'InvalidInput', field: 'topicArn' });
  await expect(publishIncident(sns, 'arn:aws:sns:us-east-1:123456789012:t', { ...initial, severity: 'P9' as never })).rejects.toMatchObject({ name: 'InvalidInput', field: 'severity' });
});
