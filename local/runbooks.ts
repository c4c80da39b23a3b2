/**
 * Runs the real synthesized runbooks locally: the RunbookStack of one environment is synthesized
 * (without bundling), each state machine's definition extracted, and every Lambda task answered
 * by its real handler module (lambda/handlers/<name>.ts) with the environment variables the
 * stack gives that function, pointed at a local "world": buckets in the S3 emulator, CloudFront
 * distributions in the emulator, and a local origin serving the content bucket.
 *
 * Used by the runbook end-to-end tests and by the local demo.
 */
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { randomBytes } from 'node:crypto';
import * as cdkJson from '../cdk.json';
import { EnvironmentConfig, parseConfig, RawConfig } from '../lib/config';
import { addEnvironment } from '../lib/site-dr-app';
import type { RunbookName } from '../lambda/shared/runbook-inputs';
import { SETTINGS } from '../lambda/shared/settings';
import { extractStateMachines, ExtractedStateMachine, lambdaTaskStates, serviceTaskStates } from './asl';
import { HarnessEvent, LocalHandler, LocalRunResult, runStateMachine, ServiceHandler } from './local-sfn';
import { timelineFromEvents } from '../lambda/core/report';

/** What the runbooks act on locally. */
export interface LocalWorld {
  readonly config: EnvironmentConfig;
  readonly region: string;
  readonly account: string;
  readonly buckets: { readonly content: string; readonly replica: string; readonly vault: string; readonly drill: string };
  readonly distributionId: string;
  readonly standbyDistributionId: string;
  /** Where the validation checks the site (a local origin in front of the content bucket). */
  readonly siteUrl: string;
  readonly standbyUrl: string;
  readonly primaryUrl: string;
}

export interface SynthesizedRunbooks {
  readonly machines: Map<string, ExtractedStateMachine>;
  /** Handler name (e.g. 'restore-plan') -> literal environment variables the stack sets on it. */
  readonly environments: Map<string, Record<string, string>>;
  /** Function logical id -> handler name. */
  readonly handlerOf: Map<string, string>;
}

/** A configuration for local runs: one environment named like the real ones, in a placeholder account. */
export function localConfig(env: 'prod' | 'staging' | 'dev' = 'staging', project = 'localsite', settings: Record<string, unknown> = {}): EnvironmentConfig {
  const raw: RawConfig = { project, account: '123456789012', environments: { [env]: settings } } as RawConfig;
  return parseConfig(raw, env).environments[0];
}

/** Synthesizes one environment's runbook stack and reads what the local runs need from its template. */
export function synthesizeRunbooks(config: EnvironmentConfig): SynthesizedRunbooks {
  const { sitedr: _example, ...flags } = cdkJson.context;
  const app = new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [] } });
  const stacks = addEnvironment(app, config);
  const template = Template.fromStack(stacks.runbooks).toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  const environments = new Map<string, Record<string, string>>();
  const handlerOf = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const service = variables.POWERTOOLS_SERVICE_NAME;
    if (typeof service !== 'string' || !service.startsWith('sitedr-')) continue;
    const handler = service.slice('sitedr-'.length);
    handlerOf.set(logicalId, handler);
    // Only literal values: references (bucket and distribution names) are supplied by the world.
    environments.set(handler, Object.fromEntries(Object.entries(variables).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }
  const machines = extractStateMachines(template, { region: config.recoveryRegion, account: config.account });
  return { machines, environments, handlerOf };
}

/** Creates the world's buckets (as the stacks declare them) and distributions in the emulator. */
export async function createLocalWorld(
  s3: S3Client,
  cloudfront: CloudFrontClient,
  config: EnvironmentConfig,
  urls: { siteUrl: string; standbyUrl?: string; primaryUrl?: string },
): Promise<LocalWorld> {
  const buckets = { ...config.bucketNames, drill: `${config.prefix}-drill-${randomBytes(3).toString('hex')}` };
  for (const bucket of [buckets.content, buckets.replica, buckets.drill]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  await s3.send(new CreateBucketCommand({ Bucket: buckets.vault, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: buckets.vault,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: config.vault.objectLockMode, Days: config.tier.snapshotRetentionDays } } },
    }),
  );
  const distribution = async (comment: string) => {
    const res = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: `${comment}-${randomBytes(4).toString('hex')}`,
          Comment: comment,
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: 'content', DomainName: `${buckets.content}.s3.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
          DefaultCacheBehavior: { TargetOriginId: 'content', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        },
      }),
    );
    return res.Distribution!.Id!;
  };
  return {
    config,
    region: process.env.AWS_REGION ?? 'us-east-1',
    account: config.account,
    buckets,
    distributionId: await distribution('primary'),
    standbyDistributionId: await distribution('standby'),
    siteUrl: urls.siteUrl,
    standbyUrl: urls.standbyUrl ?? urls.siteUrl,
    primaryUrl: urls.primaryUrl ?? urls.siteUrl,
  };
}

/** The settings every task would get in AWS, pointed at the world. */
function worldSettings(world: LocalWorld, runbooks: SynthesizedRunbooks, overrides: Record<string, string>): Record<string, string> {
  // One process stands in for every function, so a variable two functions set differently would
  // silently take one value: refuse that instead (give the settings different names).
  const union: Record<string, string> = {};
  for (const [handler, env] of runbooks.environments) {
    for (const [name, value] of Object.entries(env)) {
      if (name !== 'POWERTOOLS_SERVICE_NAME' && name in union && union[name] !== value) {
        throw new Error(`${handler} sets ${name}=${value} but another task sets it to ${union[name]}; locally all tasks share one environment`);
      }
      union[name] = value;
    }
  }
  delete union.POWERTOOLS_SERVICE_NAME;
  return {
    ...union,
    [SETTINGS.contentBucket]: world.buckets.content,
    [SETTINGS.replicaBucket]: world.buckets.replica,
    [SETTINGS.vaultBucket]: world.buckets.vault,
    [SETTINGS.drillBucket]: world.buckets.drill,
    [SETTINGS.distributionId]: world.distributionId,
    [SETTINGS.standbyDistributionId]: world.standbyDistributionId,
    [SETTINGS.siteUrl]: world.siteUrl,
    [SETTINGS.standbyUrl]: world.standbyUrl,
    [SETTINGS.primaryUrl]: world.primaryUrl,
    // Local runs export metrics as log lines nobody reads; keep the output for people.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.SITEDR_LOG_LEVEL ?? 'SILENT',
    ...overrides,
  };
}

export interface Notification {
  readonly stateName: string;
  readonly subject?: string;
  readonly message: string;
}

export interface RunbookRunOptions {
  /** Environment variable overrides for the tasks (e.g. SITEDR_APPROVAL_REQUIRED). */
  readonly settings?: Record<string, string>;
  /** Answers for service tasks by state name; SNS publishes are recorded by default. */
  readonly serviceHandlers?: Record<string, ServiceHandler>;
  /** How a RequestApproval task token is answered: approve, or reject (SendTaskFailure). */
  readonly approval?: 'approve' | 'reject';
  /** Replaces the real handler of a state (to inject a failure). */
  readonly handlerOverrides?: Record<string, LocalHandler>;
  readonly timeoutMs?: number;
}

export interface RunbookRun extends LocalRunResult {
  readonly executionName: string;
  readonly notifications: Notification[];
  /** What the report task returned (also for a failed run, whose output is only the error). */
  readonly report?: { readonly status: string; readonly reportUrl: string; readonly markdownUrl: string };
}

/** Loads a handler module the way Lambda would run it. */
function loadHandler(handler: string): LocalHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`../lambda/handlers/${handler}`) as { handler?: LocalHandler };
  if (typeof mod.handler !== 'function') throw new Error(`lambda/handlers/${handler}.ts exports no handler`);
  return mod.handler;
}

/**
 * Runs one runbook with its real handlers. The execution's context (name, ARN, start time) is
 * what Step Functions would give it, so the run lock and the reports behave as deployed.
 */
export async function runRunbook(world: LocalWorld, runbooks: SynthesizedRunbooks, runbook: RunbookName, input: unknown, opts: RunbookRunOptions = {}): Promise<RunbookRun> {
  const machineName = `${world.config.prefix}-${runbook}`;
  const machine = runbooks.machines.get(machineName);
  if (!machine) throw new Error(`no state machine ${machineName} in the synthesized runbook stack`);
  const handlers: Record<string, LocalHandler> = {};
  for (const task of lambdaTaskStates(machine.definition)) {
    const handler = task.functionLogicalId && runbooks.handlerOf.get(task.functionLogicalId);
    if (!handler) throw new Error(`state ${task.stateName} invokes an unknown function ${task.functionLogicalId}`);
    handlers[task.stateName] = opts.handlerOverrides?.[task.stateName] ?? loadHandler(handler);
  }
  // The report task reads the run's steps from the execution history in AWS; locally, from the runner's events.
  const events: HarnessEvent[] = [];
  for (const name of ['Report', 'ReportFailure']) {
    const report = handlers[name];
    if (!report || opts.handlerOverrides?.[name]) continue;
    handlers[name] = (event, context) => report({ ...event, timeline: timelineFromEvents(events.filter((e) => e.stateName && e.timestamp !== undefined).map((e) => ({ type: e.type, stateName: e.stateName, timestamp: new Date(e.timestamp!).toISOString() }))) }, context);
  }
  const notifications: Notification[] = [];
  const serviceHandlers: Record<string, ServiceHandler> = {};
  for (const task of serviceTaskStates(machine.definition)) {
    if (task.service === 'sns' && task.pattern === 'waitForTaskToken') {
      serviceHandlers[task.stateName] = (input: { Message: string; Subject?: string }) => {
        notifications.push({ stateName: task.stateName, subject: input.Subject, message: input.Message });
        if (opts.approval === 'approve') return { approvedBy: 'local', approved: true };
        const err = new Error(opts.approval === 'reject' ? 'rejected by the approver' : 'no approver answered (pass approval to the local run)');
        err.name = 'ApprovalRejected';
        throw err;
      };
    } else if (task.service === 'sns') {
      serviceHandlers[task.stateName] = (input: { Message: string; Subject?: string }) => {
        notifications.push({ stateName: task.stateName, subject: input.Subject, message: input.Message });
        return { MessageId: randomBytes(8).toString('hex') };
      };
    }
  }
  Object.assign(serviceHandlers, opts.serviceHandlers);

  const settings = worldSettings(world, runbooks, opts.settings ?? {});
  const saved = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  const executionName = `${runbook}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  try {
    const result = await runStateMachine(machine.definition, input, {
      handlers,
      serviceHandlers,
      timeoutMs: opts.timeoutMs ?? 120_000,
      onEvent: (e) => events.push(e),
      // Distributed Map (ItemReader) runs only above the inline batch limit; local plans stay below it.
      allowUnsupported: ['ItemReader'],
      context: {
        Execution: {
          Id: `arn:aws:states:${world.region}:${world.account}:execution:${machineName}:${executionName}`,
          Name: executionName,
          StartTime: new Date().toISOString(),
          RoleArn: `arn:aws:iam::${world.account}:role/local`,
        },
        StateMachine: { Id: `arn:aws:states:${world.region}:${world.account}:stateMachine:${machineName}`, Name: machineName },
      },
    });
    const reported = [...result.events].reverse().find((e) => e.type === 'StateExited' && (e.stateName === 'Report' || e.stateName === 'ReportFailure'));
    const report = (reported?.output as { report?: RunbookRun['report'] } | undefined)?.report;
    return { ...result, executionName, notifications, ...(report ? { report } : {}) };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

