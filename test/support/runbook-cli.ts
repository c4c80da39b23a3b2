/**
 * A deployed environment, as far as `sitedr run/status/report/approve` can tell, on moto's Step
 * Functions executor: a cdk.json naming the environment, a state machine under the name the
 * RunbookStack gives it, a vault, and SDK clients that reach them.
 *
 * moto runs one execution per account and region reliably (see local/local-sfn.ts, runOnMoto),
 * so every environment gets a fresh account: its state machines are created, listed and run
 * there through the `x-moto-account-id` header. The executor's own calls (SNS publish) and S3 use
 * moto's default account, where the ordinary test clients create the topic and the vault.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ClientFactory } from '../../cli/aws-clients';
import type { RunbookDeps } from '../../cli/runbook-commands';
import { createS3Client } from '../../lambda/aws/client';
import { EnvironmentConfig, parseConfig } from '../../lib/config';
import { enableMotoExecutor } from '../../local/local-sfn';

export const RECOVERY_REGION = 'us-west-2';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function endpoint(): string {
  const e = process.env.AWS_ENDPOINT_URL;
  if (!e) throw new Error('AWS_ENDPOINT_URL is unset; is jest globalSetup running moto?');
  return e;
}

/** An SFN client acting in `account`. */
export function sfnIn(account: string, region = RECOVERY_REGION): SFNClient {
  const client = new SFNClient({ endpoint: endpoint(), region, credentials });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/** The CLI's clients: Step Functions in the environment's account, S3 and CloudWatch as the tests see them. */
export function clientsFor(account: string): ClientFactory {
  return {
    sfn: (region) => sfnIn(account, region),
    s3: (region) => createS3Client({ region }),
    cloudwatch: (region) => new CloudWatchClient({ endpoint: endpoint(), region, credentials }),
  };
}

export interface TestEnvironment {
  readonly account: string;
  readonly config: EnvironmentConfig;
  /** Path of the cdk.json to pass with --config. */
  readonly configFile: string;
  readonly deps: RunbookDeps;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  close(): void;
}

/** A fresh environment `dev` of a fresh project in a fresh account, with its vault created. */
export async function testEnvironment(label: string, environmentSettings: Record<string, unknown> = {}): Promise<TestEnvironment> {
  await enableMotoExecutor(endpoint());
  const account = String(200_000_000_000 + Math.floor(Math.random() * 799_999_999_999));
  const project = `${label}-${randomBytes(3).toString('hex')}`.slice(0, 20);
  const sitedr = { project, account, primaryRegion: 'us-east-1', recoveryRegion: RECOVERY_REGION, environments: { dev: environmentSettings } };
  const dir = mkdtempSync(join(tmpdir(), 'sitedr-cli-'));
  const configFile = join(dir, 'cdk.json');
  writeFileSync(configFile, JSON.stringify({ app: 'unused', context: { sitedr } }));
  const config = parseConfig(sitedr, 'dev').environments[0];
  const s3 = createS3Client();
  await s3.send(new CreateBucketCommand({ Bucket: config.bucketNames.vault }));
  const sfn = sfnIn(account);
  return {
    account,
    config,
    configFile,
    deps: { clients: clientsFor(account), pollMs: 100 },
    sfn,
    s3,
    close: () => {
      sfn.destroy();
      s3.destroy();
    },
  };
}

/** Creates the runbook's state machine under its deployed name, with a stand-in definition. */
export async function deployRunbook(t: TestEnvironment, runbook: string, definition: object): Promise<string> {
  const out = await t.sfn.send(
    new CreateStateMachineCommand({ name: `${t.config.prefix}-${runbook}`, definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${t.account}:role/sfn` }),
  );
  return out.stateMachineArn!;
}

export async function putVaultText(t: TestEnvironment, key: string, body: string): Promise<string> {
  await t.s3.send(new PutObjectCommand({ Bucket: t.config.bucketNames.vault, Key: key, Body: body }));
  return `s3://${t.config.bucketNames.vault}/${key}`;
}

/** The SNS topic the approval state publishes to (the executor publishes in moto's default account). */
export async function approvalTopic(region = RECOVERY_REGION): Promise<string> {
  const sns = new SNSClient({ endpoint: endpoint(), region, credentials });
  try {
    return (await sns.send(new CreateTopicCommand({ Name: `approvals-${randomBytes(3).toString('hex')}` }))).TopicArn!;
  } finally {
    sns.destroy();
  }
}

export async function executionsOf(t: TestEnvironment, stateMachineArn: string) {
  return (await t.sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
}

/** Polls until the execution leaves RUNNING (or the history shows `until`), returning status and history. */
export async function waitForExecution(t: TestEnvironment, executionArn: string, until?: (events: HistoryEvent[]) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await t.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = (await t.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    if (described.status !== 'RUNNING' || until?.(events) || Date.now() > deadline) return { described, events };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A state machine shaped like the runbooks (lib/runbooks/definitions.ts): Prepare writes $.run,
 * the work writes $.outcome, ExecuteBatches is an inline Map over $.outcome.plan.batches, Report
 * writes $.report (what the report task returns). Pass and Wait states stand in for the Lambda
 * tasks moto cannot invoke. `fail` ends in ReportFailure -> Failed instead.
 */
export function runbookLikeDefinition(opts: { markdownUrl: string; reportUrl: string; batches?: number; fail?: boolean; approvalTopicArn?: string }): object {
  const report = (status: string) => ({ status, reportUrl: opts.reportUrl, markdownUrl: opts.markdownUrl, notification: { subject: 's', message: 'm' } });
  const states: Record<string, object> = {
    Prepare: { Type: 'Pass', Parameters: { runId: 'r', 'input.$': '$' }, ResultPath: '$.run', Next: 'Plan' },
    Plan: { Type: 'Pass', Result: { batches: Array.from({ length: opts.batches ?? 2 }, (_, i) => ({ index: i })), operations: 2 }, ResultPath: '$.outcome.plan', Next: opts.approvalTopicArn ? 'RequestApproval' : 'ExecuteBatches' },
    ExecuteBatches: {
      Type: 'Map',
      ItemsPath: '$.outcome.plan.batches',
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'ExecuteBatch', States: { ExecuteBatch: { Type: 'Wait', Seconds: 1, Next: 'Counted' }, Counted: { Type: 'Pass', Result: { copied: 1 }, End: true } } },
      ResultPath: '$.outcome.executed',
      Next: 'Settle',
    },
    Settle: { Type: 'Wait', Seconds: 1, Next: opts.fail ? 'ReportFailure' : 'Report' },
    Report: { Type: 'Pass', Result: report('SUCCEEDED'), ResultPath: '$.report', Next: 'Succeeded' },
    Succeeded: { Type: 'Succeed' },
    ReportFailure: { Type: 'Pass', Result: report('FAILED'), ResultPath: '$.report', Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'VerificationFailed', Cause: '1 key(s) differ from the plan' },
  };
  if (opts.approvalTopicArn) {
    states.RequestApproval = {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      // The message the real RequestApproval sends (definitions.ts), the token in its approve line.
      Parameters: { TopicArn: opts.approvalTopicArn, Subject: 'Approval needed', 'Message.$': "States.Format('someone asks to run restore.\n\nApprove:  sitedr approve {}\nReject:   sitedr reject {} --reason \"...\"', $$.Task.Token, $$.Task.Token)" },
      ResultPath: '$.outcome.approval',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReportFailure' }],
      Next: 'ExecuteBatches',
    };
  }
  return { StartAt: 'Prepare', States: states };
}
