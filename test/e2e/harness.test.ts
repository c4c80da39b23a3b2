/**
 * Proves the runbook end-to-end harness (test/support/asl.ts, test/support/local-sfn.ts) on a
 * small CDK stack built here: inline Lambda code, so nothing is bundled; the handlers below
 * stand in for real ones.
 */
import { randomUUID } from 'node:crypto';
import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { extractStateMachines, lambdaTaskStates, serviceTaskStates, usedFeatures, type ExtractedStateMachine } from '../../local/asl';
import { HARNESS_ERROR, runOnMoto, runStateMachine, scheduledTaskParameters, type LocalHandler } from '../../local/local-sfn';

class TransientGlitch extends Error {
  override name = 'TransientGlitch';
}
class VerificationFailed extends Error {
  override name = 'VerificationFailed';
}

interface Built {
  readonly template: Record<string, unknown>;
  readonly fnIds: { plan: string; verify: string; copy: string };
  readonly topicId: string;
}

/** The stack under test: every construct the harness has to understand, once. */
function buildStack(): Built {
  const app = new App();
  const stack = new Stack(app, 'HarnessStack');
  const fn = (id: string) =>
    new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  const planFn = fn('PlanFn');
  const verifyFn = fn('VerifyFn');
  const copyFn = fn('CopyFn');
  const topic = new sns.Topic(stack, 'Alerts');

  const prepare = new sfn.Pass(stack, 'Prepare', {
    parameters: { 'mode.$': '$.mode', 'items.$': '$.items', label: '${Label}', topic: '${TopicName}' },
  });
  // CDK defaults: arn:aws:states:::lambda:invoke, Payload.$ = $, the whole envelope as result.
  const plan = new tasks.LambdaInvoke(stack, 'Plan', { lambdaFunction: planFn, resultPath: '$.planResponse' });
  // payloadResponseOnly: Resource is the function ARN, the result is the return value.
  const verify = new tasks.LambdaInvoke(stack, 'Verify', { lambdaFunction: verifyFn, payloadResponseOnly: true, resultPath: '$.verify' });
  verify.addRetry({ errors: ['TransientGlitch'], maxAttempts: 2, interval: Duration.seconds(5) });
  const failed = new sfn.Fail(stack, 'Failed', { error: 'VerificationFailed', causePath: sfn.JsonPath.stringAt('$.error.Cause') });
  verify.addCatch(failed, { errors: ['VerificationFailed'], resultPath: '$.error' });
  const copyEach = new sfn.Map(stack, 'CopyEach', {
    itemsPath: '$.items',
    itemSelector: { 'n.$': '$$.Map.Item.Value', 'label.$': '$.label' },
    resultPath: '$.copied',
  });
  copyEach.itemProcessor(new tasks.LambdaInvoke(stack, 'CopyItem', { lambdaFunction: copyFn, outputPath: '$.Payload' }));
  const settle = new sfn.Wait(stack, 'Settle', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
  const notify = new tasks.SnsPublish(stack, 'Notify', { topic, message: sfn.TaskInput.fromJsonPathAt('$.label'), resultPath: sfn.JsonPath.DISCARD });
  const route = new sfn.Choice(stack, 'Route')
    .when(sfn.Condition.stringEquals('$.mode', 'skip'), new sfn.Succeed(stack, 'Skipped'))
    .otherwise(plan.next(verify).next(copyEach).next(settle).next(notify).next(new sfn.Succeed(stack, 'Done')));

  const machine = new sfn.StateMachine(stack, 'Harness', {
    definitionBody: sfn.DefinitionBody.fromChainable(prepare.next(route)),
    // What CDK emits as DefinitionSubstitutions: a literal and a token (Fn::GetAtt).
    definitionSubstitutions: { Label: 'site-dr', TopicName: topic.topicName },
  });
  Tags.of(machine).add('sitedr:runbook', 'harness');
  new sfn.StateMachine(stack, 'Named', {
    stateMachineName: 'harness-named',
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'OnlyPass')),
  });

  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as lambda.CfnFunction);
  return {
    template: Template.fromStack(stack).toJSON(),
    fnIds: { plan: id(planFn), verify: id(verifyFn), copy: id(copyFn) },
    topicId: id(topic),
  };
}

let built: Built;
let harness: ExtractedStateMachine;

beforeAll(() => {
  built = buildStack();
  harness = extractStateMachines(built.template).get('harness')!;
});

describe('extracting state machines from the template', () => {
  it('keys machines by StateMachineName, else the sitedr:runbook tag, and resolves the definition', () => {
    const machines = extractStateMachines(built.template);
    expect([...machines.keys()].sort()).toEqual(['harness', 'harness-named']);
    expect(harness.tags['sitedr:runbook']).toBe('harness');
    expect(harness.logicalId).toMatch(/^Harness/);
    expect(harness.stateMachineType).toBe('STANDARD');
    const states = harness.definition.States as unknown as Record<string, Record<string, unknown>>;
    // DefinitionSubstitutions applied: a literal, and a token resolved to the topic's placeholder name.
    expect(states.Prepare.Parameters).toMatchObject({ label: 'site-dr', topic: built.topicId });
    // Fn::Join + AWS::Partition + Fn::GetAtt resolved to placeholder ARNs from the logical id.
    expect(states.Plan.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(states.Plan.Parameters).toEqual({ FunctionName: `arn:aws:lambda:us-west-2:111111111111:function:${built.fnIds.plan}`, 'Payload.$': '$' });
    expect(states.Verify.Resource).toBe(`arn:aws:lambda:us-west-2:111111111111:function:${built.fnIds.verify}`);
    expect(states.Notify.Parameters).toMatchObject({ TopicArn: `arn:aws:sns:us-west-2:111111111111:${built.topicId}` });
  });

  it('fails loudly on a reference it cannot resolve or a substitution that is missing', () => {
    const machine = (props: object) => ({ Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: props } } });
    expect(() => extractStateMachines(machine({ DefinitionString: { 'Fn::Join': ['', ['{"x":"', { Ref: 'Nowhere' }, '"}']] } }))).toThrow(/Nowhere/);
    expect(() => extractStateMachines(machine({ DefinitionString: '{"StartAt":"${Missing}","States":{}}' }))).toThrow(/\$\{Missing\}/);
  });

  it('maps every Lambda task, nested ones included, to its function and integration', () => {
    expect(lambdaTaskStates(harness.definition)).toEqual([
      { stateName: 'Plan', functionLogicalId: built.fnIds.plan, integration: 'invoke', pattern: 'request-response', parents: [] },
      { stateName: 'Verify', functionLogicalId: built.fnIds.verify, integration: 'direct', pattern: 'request-response', parents: [] },
      { stateName: 'CopyItem', functionLogicalId: built.fnIds.copy, integration: 'invoke', pattern: 'request-response', parents: ['CopyEach'] },
    ]);
    expect(serviceTaskStates(harness.definition)).toEqual([
      expect.objectContaining({ stateName: 'Notify', service: 'sns', action: 'publish', pattern: 'request-response' }),
    ]);
  });

  it('lists the features a definition uses', () => {
    const features = usedFeatures(harness.definition);
    for (const f of ['Pass', 'Choice', 'Task', 'Map:INLINE', 'Wait', 'Succeed', 'Fail', 'Retry', 'Catch', 'ItemSelector', 'ResultPath', 'OutputPath', 'Fail:CausePath', 'contextObject', 'integration:lambda:invoke', 'integration:lambda:direct', 'integration:sns:publish']) {
      expect(features).toContain(f);
    }
    for (const f of ['JSONata', 'Assign', 'ItemReader', 'Map:DISTRIBUTED', 'waitForTaskToken', 'Parallel']) expect(features).not.toContain(f);

    const exotic = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } },
          ItemBatcher: { MaxItemsPerBatch: 10 },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Inner', States: { Inner: { Type: 'Pass', QueryLanguage: 'JSONata', End: true } } },
          Next: 'Approve',
        },
        Approve: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', Parameters: { 'Message.$': "States.Format('token {}', $$.Task.Token)" }, Assign: { x: 1 }, End: true },
      },
    };
    expect([...usedFeatures(exotic)].sort()).toEqual(
      ['Assign', 'ItemBatcher', 'ItemReader', 'JSONata', 'Map:DISTRIBUTED', 'Pass', 'Task', 'contextObject', 'integration:sns:publish', 'intrinsic:States.Format', 'waitForTaskToken'].sort(),
    );
  });
});

describe('running a definition locally with the real handlers', () => {
  /** Handlers that record what they received; `verify` is replaced per test. */
  function handlers(verify: LocalHandler) {
    const calls: Record<string, unknown[]> = { Plan: [], Verify: [], CopyItem: [] };
    const contexts: string[] = [];
    const record = (name: string, h: LocalHandler): LocalHandler => (event, context) => {
      calls[name].push(event);
      contexts.push(context.functionName);
      return h(event, context);
    };
    return {
      calls,
      contexts,
      handlers: {
        Plan: record('Plan', async (event: { items: number[] }) => ({ steps: event.items.length, at: new Date(0) })),
        Verify: record('Verify', verify),
        CopyItem: record('CopyItem', async (event: { n: number; label: string }) => ({ copied: event.n * 10, label: event.label })),
      },
    };
  }
  const notified: unknown[] = [];
  const serviceHandlers = { Notify: async (input: unknown) => (notified.push(input), { MessageId: 'm-1' }) };
  beforeEach(() => (notified.length = 0));

  it('runs the happy path: payload shaping, a retried named error, the inline Map, no real Wait', async () => {
    let attempts = 0;
    const h = handlers(async () => {
      attempts += 1;
      if (attempts === 1) throw new TransientGlitch('try again');
      return { verified: true };
    });
    // Settle waits 30 s as defined; the default waitTimeOverride of 0 is what lets this finish within 10 s.
    const result = await runStateMachine(harness.definition, { mode: 'ok', items: [1, 2, 3] }, { handlers: h.handlers, serviceHandlers, timeoutMs: 10_000 });

    expect(result.status).toBe('SUCCEEDED');
    // lambda:invoke: the handler got the Payload, not { FunctionName, Payload }...
    expect(h.calls.Plan).toEqual([{ mode: 'ok', items: [1, 2, 3], label: 'site-dr', topic: built.topicId }]);
    // ...and the state got the integration's envelope, the return value JSON-serialized inside.
    expect(result.output.planResponse).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { steps: 3, at: '1970-01-01T00:00:00.000Z' } });
    expect(result.output.planResponse.SdkHttpMetadata.HttpStatusCode).toBe(200);
    // payloadResponseOnly: the handler got the state input, the result is its return value as is.
    expect(h.calls.Verify[0]).toMatchObject({ mode: 'ok', planResponse: { Payload: { steps: 3 } } });
    expect(result.output.verify).toEqual({ verified: true });
    expect(attempts).toBe(2);
    expect(result.retries).toEqual({ Verify: 1 });
    expect(result.events.filter((e) => e.type === 'StateFailed').map((e) => [e.stateName, e.error])).toEqual([['Verify', 'TransientGlitch']]);
    // Map: ItemSelector with $$.Map.Item.Value, OutputPath $.Payload inside the iteration.
    expect(result.output.copied).toEqual([1, 2, 3].map((n) => ({ copied: n * 10, label: 'site-dr' })));
    expect(h.calls.CopyItem).toHaveLength(3);
    expect(notified).toEqual([{ TopicArn: `arn:aws:sns:us-west-2:111111111111:${built.topicId}`, Message: 'site-dr' }]);
    expect(result.visitedStates).toEqual(['Prepare', 'Route', 'Plan', 'Verify', 'CopyEach', 'CopyItem', 'CopyItem', 'CopyItem', 'Settle', 'Notify', 'Done']);
    // The Lambda context names the function, so Powertools logs carry it.
    expect(new Set(h.contexts)).toEqual(new Set([built.fnIds.plan, built.fnIds.verify, built.fnIds.copy]));
  });

  it('routes a named handler error through Catch to the Fail state with that error and the Lambda cause', async () => {
    const h = handlers(async () => {
      throw new VerificationFailed('3 keys differ from the plan');
    });
    const result = await runStateMachine(harness.definition, { mode: 'ok', items: [1] }, { handlers: h.handlers, serviceHandlers });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('VerificationFailed');
    // CausePath $.error.Cause: the Catch output's Cause is the runtime's JSON error, as in AWS.
    expect(JSON.parse(result.cause!)).toMatchObject({ errorType: 'VerificationFailed', errorMessage: '3 keys differ from the plan' });
    expect(result.visitedStates).toEqual(['Prepare', 'Route', 'Plan', 'Verify', 'Failed']);
    expect(result.retries).toEqual({});
    expect(h.calls.CopyItem).toEqual([]);
  });

  it('gives up after the retrier MaxAttempts and fails with the handler error name', async () => {
    const h = handlers(async () => {
      throw new TransientGlitch('still down');
    });
    const result = await runStateMachine(harness.definition, { mode: 'ok', items: [] }, { handlers: h.handlers, serviceHandlers });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('TransientGlitch');
    expect(h.calls.Verify).toHaveLength(3);
    expect(result.retries).toEqual({ Verify: 2 });
    expect(result.events.filter((e) => e.type === 'StateRetried').map((e) => e.retryAttempt)).toEqual([1, 2]);
  });

  it('takes the Choice branch without calling any handler', async () => {
    const h = handlers(async () => ({}));
    const result = await runStateMachine(harness.definition, { mode: 'skip', items: [] }, { handlers: h.handlers, serviceHandlers });
    expect(result).toMatchObject({ status: 'SUCCEEDED', visitedStates: ['Prepare', 'Route', 'Skipped'] });
    expect(h.calls.Plan).toEqual([]);
  });

  it('fails the run, past any Catch, when a reached Task state has no handler', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-west-2:111111111111:function:Fn', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }], End: true },
        Recovered: { Type: 'Succeed' },
      },
    };
    const result = await runStateMachine(definition as never, {}, {});
    expect(result).toMatchObject({ status: 'FAILED', error: HARNESS_ERROR, visitedStates: ['Call'] });
    expect(result.cause).toMatch(/no handler for Lambda Task state 'Call'/);
  });

  it('rejects misspelt or misplaced handler names, and definitions the runner would run wrongly', async () => {
    await expect(runStateMachine(harness.definition, {}, { handlers: { Plna: async () => ({}) } })).rejects.toThrow(/no Lambda Task state named 'Plna'/);
    await expect(runStateMachine(harness.definition, {}, { handlers: { Notify: async () => ({}) } })).rejects.toThrow(/give it a serviceHandler/);
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    await expect(runStateMachine(jsonata as never, {}, {})).rejects.toThrow(/does not execute JSONata/);
  });

  it('treats ResultPath "$" as AWS does (the result replaces the input), in states and in catchers', async () => {
    // aws-local-stepfunctions 3.0 alone would write the result under a key named "$".
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'Count', States: { Count: { Type: 'Task', Resource: 'arn:aws:lambda:us-west-2:111111111111:function:Fn', ResultPath: '$', End: true } } },
          ResultPath: '$.counted',
          Next: 'Fails',
        },
        Fails: { Type: 'Task', Resource: 'arn:aws:lambda:us-west-2:111111111111:function:Boom', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const boom: LocalHandler = () => {
      throw Object.assign(new Error('no'), { name: 'Boom' });
    };
    const result = await runStateMachine(definition as never, { items: [1, 2] }, { handlers: { Count: (n: number) => ({ n }), Fails: boom } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ Error: 'Boom' });
    expect(outputOfState(result.events, 'Each')).toEqual({ items: [1, 2], counted: [{ n: 1 }, { n: 2 }] });
  });

  it('aborts a run that outlives timeoutMs (here a Wait given a real duration)', async () => {
    const definition = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 30, End: true } } };
    const result = await runStateMachine(definition as never, {}, { waitTimeOverride: 5_000, timeoutMs: 200 });
    expect(result.status).toBe('ABORTED');
  });
});

describe("moto's executor, for what the local runner cannot run", () => {
  const clientConfig = { region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true };

  it('runs a Distributed Map that reads its items from S3 with ItemReader', async () => {
    const bucket = `harness-items-${randomUUID().slice(0, 8)}`;
    const s3 = new S3Client(clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plan/batch.json', Body: JSON.stringify([{ key: 'a.html' }, { key: 'b.css' }]) }));
    s3.destroy();
    const definition = {
      StartAt: 'ForEachKey',
      States: {
        ForEachKey: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket.$': '$.bucket', Key: 'plan/batch.json' } },
          ItemSelector: { 'key.$': '$$.Map.Item.Value.key', 'index.$': '$$.Map.Item.Index' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Copy', States: { Copy: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    // The local runner would ignore ItemReader and fail on the missing items: it refuses instead.
    await expect(runStateMachine(definition as never, { bucket })).rejects.toThrow(/ItemReader/);

    const result = await runOnMoto(definition, { bucket });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ key: 'a.html', index: 0 }, { key: 'b.css', index: 1 }]);
    expect(result.visitedStates).toEqual(['ForEachKey']);
    expect(result.events.map((e) => e.type)).toContain('MapRunSucceeded');
  });

  describe('waits for a task token and resumes on the callback', () => {
    const approval = (topicArn: string) => ({
      StartAt: 'AskApproval',
      States: {
        AskApproval: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: { TopicArn: topicArn, 'Message.$': '$$.Task.Token' },
          Catch: [{ ErrorEquals: ['ApprovalRejected'], Next: 'Rejected' }],
          Next: 'Approved',
        },
        Approved: { Type: 'Succeed' },
        Rejected: { Type: 'Fail', Error: 'ApprovalRejected', Cause: 'rejected by the approver' },
      },
    });
    let topicArn: string;
    beforeAll(async () => {
      const snsClient = new SNSClient(clientConfig);
      ({ TopicArn: topicArn } = (await snsClient.send(new CreateTopicCommand({ Name: `harness-approvals-${randomUUID().slice(0, 8)}` }))) as { TopicArn: string });
      snsClient.destroy();
    });

    it('SendTaskSuccess: the callback output is the state result', async () => {
      const result = await runOnMoto(approval(topicArn), {}, {
        onRunning: async ({ sfn, events }) => {
          const [params] = scheduledTaskParameters(events);
          if (!params) return false;
          await sfn.send(new SendTaskSuccessCommand({ taskToken: String(params.Message), output: JSON.stringify({ approvedBy: 'ops' }) }));
          return true;
        },
      });
      expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approvedBy: 'ops' }, visitedStates: ['AskApproval', 'Approved'] });
      expect(result.events.map((e) => e.type)).toEqual(expect.arrayContaining(['TaskSubmitted', 'TaskSucceeded']));
    });

    it('SendTaskFailure: the error is matched by Catch like any task error', async () => {
      const result = await runOnMoto(approval(topicArn), {}, {
        onRunning: async ({ sfn, events }) => {
          const [params] = scheduledTaskParameters(events);
          if (!params) return false;
          await sfn.send(new SendTaskFailureCommand({ taskToken: String(params.Message), error: 'ApprovalRejected', cause: 'no' }));
          return true;
        },
      });
      expect(result).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected', visitedStates: ['AskApproval', 'Rejected'] });
    });
  });

  it('does not support ItemBatcher (its parser rejects the definition) nor run our Lambda handlers', async () => {
    const batched = {
      StartAt: 'Batches',
      States: {
        Batches: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemBatcher: { MaxItemsPerBatch: 2 },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    await expect(runOnMoto(batched, { items: [1, 2, 3] })).rejects.toThrow(/moto rejected the definition: .*ItemBatcher/);

    const invoke = { StartAt: 'Plan', States: { Plan: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:NotInMoto', 'Payload.$': '$' }, End: true } } };
    const result = await runOnMoto(invoke, {});
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });
});

function outputOfState(events: ReadonlyArray<{ type: string; stateName?: string; output?: unknown }>, stateName: string): unknown {
  return events.find((e) => e.type === 'StateExited' && e.stateName === stateName)?.output;
}
