/**
 * Running a state machine definition in process with aws-local-stepfunctions, each Task state
 * answered by a local function (for Lambda tasks: the real handler).
 *
 * What a Lambda handler sees and returns here is what it would see and return in AWS:
 * - `arn:aws:states:::lambda:invoke` (CDK `LambdaInvoke` defaults): the state's effective input
 *   is `{ FunctionName, Payload }`; the handler receives `Payload` (what Lambda would pass as the
 *   event) and the state result is the integration's envelope `{ ExecutedVersion, Payload,
 *   SdkHttpMetadata, SdkResponseMetadata, StatusCode }` with the handler's return value in
 *   `Payload`, so the definition's own `ResultSelector`/`OutputPath: '$.Payload'`/`ResultPath`
 *   apply exactly as deployed.
 * - a function ARN as `Resource` (CDK `payloadResponseOnly: true`): the handler receives the
 *   effective input and its return value is the state result, without envelope.
 * - Return values are JSON round-tripped (a Date becomes a string, `undefined` becomes null), as
 *   Lambda serializes them.
 * - A thrown error fails the task with Error = `error.name` (as the Node.js runtime reports
 *   `errorType`) and Cause = the runtime's JSON `{ errorType, errorMessage, trace }`, so
 *   `Retry`/`Catch` on `VerificationFailed` match a `class VerificationFailed extends Error`
 *   whose `name` is 'VerificationFailed'. aws-local-stepfunctions matches `ErrorEquals` against
 *   the thrown object's `name` and uses its `message` as Cause; we throw an error shaped that way.
 *
 * Everything else (sns:publish, states:startExecution, aws-sdk:*, `.waitForTaskToken`,
 * `.sync`) is answered by `serviceHandlers[stateName]`, which receives the effective input
 * (Parameters resolved, `$$.Task.Token` included) and returns the integration's result (for a
 * token wait: the output SendTaskSuccess would send; throw to act as SendTaskFailure).
 *
 * Limits of aws-local-stepfunctions (3.0) that matter here: it does not evaluate JSONata,
 * `Assign` variables, Distributed Map `ItemReader`/`ItemBatcher`/`ResultWriter`/tolerated
 * failures, and treats `.waitForTaskToken` as a plain call. `runStateMachine` refuses a
 * definition using any of those (see {@link LOCALLY_UNSUPPORTED}) instead of silently running
 * something else; run such machines with `runOnMoto` (below). Its Task states time out
 * after 60 s when the definition sets no TimeoutSeconds (AWS: no limit).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { allStates, lambdaTaskStates, serviceTaskStates, usedFeatures, type StateMachineDefinition } from './asl';

// aws-local-stepfunctions needs Promise.withResolvers (Node 22); this project also runs on Node 20.
if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** A Lambda handler as deployed: `(event, context) => result`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LocalHandler = (event: any, context: Context) => unknown;
/** Stands in for a service integration: receives the state's effective input, returns the service's result. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ServiceHandler = (input: any) => unknown;

export interface LocalRunOptions {
  /** Lambda Task state name -> the handler that runs instead of the function. */
  readonly handlers?: Readonly<Record<string, LocalHandler>>;
  /** Any other Task state name -> what the integration returns. */
  readonly serviceHandlers?: Readonly<Record<string, ServiceHandler>>;
  /** How long every Wait state pauses, in ms. @default 0 */
  readonly waitTimeOverride?: number;
  /** How long every Retry pauses before the next attempt, in ms. @default 0 */
  readonly retryIntervalMs?: number;
  /** The run is aborted (status ABORTED) after this long. @default 60000 */
  readonly timeoutMs?: number;
  /** Extra Context Object fields (merged over the defaults: Execution.Id/Name, StateMachine, Task.Token). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Features from {@link LOCALLY_UNSUPPORTED} to run anyway, knowing the runner ignores them. @default [] */
  readonly allowUnsupported?: readonly string[];
  /** Called with each event as it happens (the result lists them all at the end). */
  readonly onEvent?: (event: HarnessEvent) => void;
}

export interface HarnessEvent {
  readonly type: string;
  /** When it happened (ms since the epoch), as the runner dispatched it. */
  readonly timestamp?: number;
  readonly stateName?: string;
  readonly stateType?: string;
  /** The Map iteration the event belongs to. */
  readonly index?: number;
  readonly error?: string;
  readonly cause?: string;
  /** For StateRetried: the retrier's attempt count (1 for the first retry). */
  readonly retryAttempt?: number;
  /** For StateExited: the state's output. */
  readonly output?: unknown;
}

export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly output?: any;
  readonly error?: string;
  readonly cause?: string;
  readonly events: HarnessEvent[];
  /** State names in the order they were entered (Map iterations and Parallel branches included). */
  readonly visitedStates: string[];
  /** State name -> how many times it was retried. */
  readonly retries: Record<string, number>;
}

/** Features aws-local-stepfunctions parses but does not execute faithfully (see the file header). */
export const LOCALLY_UNSUPPORTED: readonly string[] = ['JSONata', 'Assign', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailure', 'Credentials'];

/** Error name of the harness's own failures (no handler, timeout); never matched by Retry/Catch. */
export const HARNESS_ERROR = 'Harness.Error';

const PLACEHOLDER_PREFIX = 'arn:aws:states:us-west-2:111111111111';

/** Runs `definition` with `input`; resolves with the outcome (never rejects for a failed execution). */
export async function runStateMachine(definition: StateMachineDefinition, input: unknown, opts: LocalRunOptions = {}): Promise<LocalRunResult> {
  const unsupported = [...usedFeatures(definition)].filter((f) => LOCALLY_UNSUPPORTED.includes(f) && !opts.allowUnsupported?.includes(f));
  if (unsupported.length > 0) {
    throw new Error(`aws-local-stepfunctions does not execute ${unsupported.join(', ')}; run this definition with runOnMoto, or pass allowUnsupported`);
  }
  const taskResourceLocalHandlers = buildTaskOverrides(definition, opts);
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const { stateName, state } of allStates(definition)) {
    if (state.Type === 'Wait') waitTimeOverrides[stateName] = opts.waitTimeOverride ?? 0;
    if (state.Retry !== undefined) retryIntervalOverrides[stateName] = opts.retryIntervalMs ?? 0;
  }

  const executionName = `local-${randomUUID()}`;
  const context = {
    Execution: { Id: `${PLACEHOLDER_PREFIX}:execution:local:${executionName}`, Name: executionName, RoleArn: 'arn:aws:iam::111111111111:role/local' },
    StateMachine: { Id: `${PLACEHOLDER_PREFIX}:stateMachine:local`, Name: 'local' },
    // One token per run: enough for a service handler to see that the definition passes it on.
    Task: { Token: `local-task-token-${executionName}` },
    ...opts.context,
  };
  // Validate what CDK emits, but not ARN shapes: placeholder ARNs are fine, and so is a partition token.
  const machine = new StateMachine(withoutRootResultPaths(definition), { validationOptions: { checkArn: false, checkPaths: true } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context,
  });

  const events: HarnessEvent[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      const harnessEvent = toHarnessEvent(event as unknown as RawEvent);
      events.push(harnessEvent);
      opts.onEvent?.(harnessEvent);
    }
  })();
  const timer = setTimeout(() => execution.abort(), opts.timeoutMs ?? 60_000);
  let outcome: Pick<LocalRunResult, 'status' | 'output' | 'error' | 'cause'>;
  try {
    outcome = { status: 'SUCCEEDED', output: await execution.result };
  } catch (err) {
    outcome = failureOf(err);
  } finally {
    clearTimeout(timer);
  }
  await collecting;
  const visitedStates = events.filter((e) => e.type === 'StateEntered').map((e) => e.stateName!);
  const retries: Record<string, number> = {};
  for (const e of events) if (e.type === 'StateRetried') retries[e.stateName!] = (retries[e.stateName!] ?? 0) + 1;
  return { ...outcome, events, visitedStates, retries };
}

/**
 * `ResultPath: "$"` means "the result replaces the input", the same as leaving ResultPath out
 * (ASL spec). aws-local-stepfunctions 3.0 instead writes the result under a key named "$"
 * (`processResultPath` strips a leading "$." only), so a Map whose iterations return their task's
 * result would collect `{ ...input, $: result }` locally and `result` in AWS. Dropping the field
 * (in states and in catchers) runs the same semantics the deployed machine has.
 */
export function withoutRootResultPaths<T extends StateMachineDefinition>(definition: T): T {
  const copy = JSON.parse(JSON.stringify(definition)) as T;
  for (const { state } of allStates(copy)) {
    if (state.ResultPath === '$') delete state.ResultPath;
    for (const catcher of (state.Catch as Array<Record<string, unknown>> | undefined) ?? []) {
      if (catcher.ResultPath === '$') delete catcher.ResultPath;
    }
  }
  return copy;
}

// The runner does not export its handler types; derive them from `run`'s options.
type TaskOverrides = NonNullable<NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>['taskResourceLocalHandlers']>;
type TaskOverride = TaskOverrides[string];

function buildTaskOverrides(definition: StateMachineDefinition, opts: LocalRunOptions): TaskOverrides {
  const lambdas = lambdaTaskStates(definition).filter((t) => t.pattern === 'request-response');
  const services = serviceTaskStates(definition);
  const lambdaNames = new Set(lambdas.map((t) => t.stateName));
  const serviceNames = new Set(services.map((t) => t.stateName));
  // Catch typos and mix-ups before running: a misspelt name would otherwise just mean "no handler".
  for (const name of Object.keys(opts.handlers ?? {})) {
    if (!lambdaNames.has(name)) {
      throw new Error(serviceNames.has(name) ? `'${name}' is not a Lambda task: give it a serviceHandler` : `handlers: no Lambda Task state named '${name}'`);
    }
  }
  for (const name of Object.keys(opts.serviceHandlers ?? {})) {
    if (!serviceNames.has(name)) {
      throw new Error(lambdaNames.has(name) ? `'${name}' is a Lambda task: give it a handler` : `serviceHandlers: no service Task state named '${name}'`);
    }
  }

  const overrides: Record<string, TaskOverride> = {};
  for (const task of lambdas) {
    const handler = opts.handlers?.[task.stateName];
    overrides[task.stateName] = async (input) => {
      if (!handler) throw harnessError(`no handler for Lambda Task state '${task.stateName}' (function ${task.functionLogicalId ?? 'from FunctionName.$'})`);
      const functionName = task.functionLogicalId ?? task.stateName;
      const event = task.integration === 'invoke' ? ((input as { Payload?: unknown }).Payload ?? {}) : input;
      const result = await invokeLikeLambda(handler, event, functionName, opts.timeoutMs ?? 60_000);
      return (task.integration === 'invoke' ? invokeEnvelope(result) : result) as never;
    };
  }
  for (const task of services) {
    const handler = opts.serviceHandlers?.[task.stateName];
    overrides[task.stateName] = async (input) => {
      if (!handler) throw harnessError(`no serviceHandler for Task state '${task.stateName}' (${task.resource})`);
      // A service error keeps its name as the States error (e.g. 'SNS.NotFoundException'); no Lambda-style Cause.
      return jsonRoundTrip(await handler(input));
    };
  }
  return overrides;
}

/** Calls `handler` the way the Lambda Node.js runtime would, translating a throw into a task failure. */
async function invokeLikeLambda(handler: LocalHandler, event: unknown, functionName: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  const context = lambdaContext(functionName, deadline);
  try {
    return jsonRoundTrip(await handler(jsonRoundTrip(event), context));
  } catch (err) {
    const e = err instanceof Error ? err : undefined;
    const errorType = e?.name ?? 'Error';
    const errorMessage = e?.message ?? String(err);
    const trace = e?.stack?.split('\n') ?? [];
    throw taskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
  }
}

/** The result of `arn:aws:states:::lambda:invoke` as Step Functions returns it. */
function invokeEnvelope(payload: unknown): unknown {
  const requestId = randomUUID();
  const headers = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function lambdaContext(functionName: string, deadline: number): Context {
  const notSupported = () => {
    throw new Error('callback-style Lambda context methods are not supported in tests');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-west-2:111111111111:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

/** An error aws-local-stepfunctions treats as a States error named `name` (it reads name/message only). */
function taskError(name: string, cause: string): Error {
  const err = new Error(cause);
  err.name = name;
  return err;
}

/**
 * A harness failure must end the run, never be swallowed by a `Catch: States.ALL` that would
 * make a test pass: the runner honours `isRetryable`/`isCatchable` on the thrown object.
 */
function harnessError(message: string): Error {
  const err = taskError(HARNESS_ERROR, message);
  Object.defineProperties(err, { isRetryable: { value: false }, isCatchable: { value: false } });
  return err;
}

function failureOf(err: unknown): Pick<LocalRunResult, 'status' | 'error' | 'cause'> {
  const e = err as Error & { cause?: unknown };
  if (e?.name === 'ExecutionAbortedError') return { status: 'ABORTED', error: HARNESS_ERROR, cause: 'aborted after timeoutMs' };
  if (e?.name === 'ExecutionTimeoutError') return { status: 'FAILED', error: 'States.Timeout', cause: 'the state machine TimeoutSeconds elapsed' };
  if (e?.name === 'ExecutionError' && e.cause instanceof Error) {
    // The runner wraps the failing state's error: its name is the States error, its message the Cause.
    return { status: 'FAILED', error: e.cause.name, cause: e.cause.message };
  }
  throw err;
}

interface RawEvent {
  type: string;
  timestamp?: number;
  state?: { name: string; type: string; output?: unknown };
  index?: number;
  Error?: string;
  Cause?: unknown;
  retry?: { attempt: number };
}

function toHarnessEvent(event: RawEvent): HarnessEvent {
  return {
    type: event.type,
    ...(event.timestamp !== undefined && { timestamp: event.timestamp }),
    ...(event.state && { stateName: event.state.name, stateType: event.state.type }),
    ...(event.index !== undefined && { index: event.index }),
    ...(event.Error !== undefined && { error: event.Error, cause: causeText(event.Cause) }),
    ...(event.retry && { retryAttempt: event.retry.attempt }),
    ...(event.type === 'StateExited' && { output: event.state?.output }),
  };
}

function causeText(cause: unknown): string | undefined {
  if (cause === undefined || typeof cause === 'string') return cause;
  return cause instanceof Error ? cause.message : JSON.stringify(cause);
}

function jsonRoundTrip(value: unknown): never {
  return (value === undefined ? null : JSON.parse(JSON.stringify(value))) as never;
}

// ---------------------------------------------------------------------------------------------
// moto's own executor
// ---------------------------------------------------------------------------------------------
/*
 * For what aws-local-stepfunctions cannot run. moto (5.2.1, requirements-dev.txt) executes
 * definitions when `POST /moto-api/config {"stepfunctions":{"execute_state_machine":true}}`
 * has been sent; its engine is LocalStack's ASL interpreter (moto/stepfunctions/parser).
 * Checked against that version:
 * - Works: Pass/Choice/Wait/Parallel/Succeed/Fail, Retry/Catch, intrinsic functions,
 *   `.waitForTaskToken` (sns:publish, sqs:sendMessage, ...) resumed by SendTaskSuccess /
 *   SendTaskFailure, Distributed Map with `ItemReader` `arn:aws:states:::s3:getObject`
 *   (ReaderConfig.InputType JSON) plus ItemSelector/MaxConcurrency (child executions do not
 *   appear in the parent's history: only MapRunStarted/MapRunSucceeded).
 * - Rejected at CreateStateMachine by its parser: `ItemBatcher`, `ToleratedFailurePercentage`/
 *   `ToleratedFailureCount`.
 * - Fails at run time with States.Runtime "TypeError('NoneType' object is not callable)":
 *   JSONata and `Assign`/variables (the JSONata engine is not installed with moto).
 * - Lambda: it calls moto's Lambda API, so an invoke of a function moto does not have fails
 *   with Lambda.ResourceNotFoundException; it can never run our handlers. With
 *   `{"lambda":{"use_docker":false}}` (a server-wide switch we do not flip) an existing
 *   function echoes its payload.
 * - Wait states and Retry intervals really sleep: keep them short in definitions run here.
 * - After any execution has run in an account+region, StartExecution there fails with HTTP
 *   500 (it deep-copies the state machine, whose backend holds the finished execution's
 *   thread locks). So every run uses a fresh account, via moto's `x-moto-account-id` header.
 *   The executor's own calls (S3 for ItemReader, SNS, ...) use moto's default account
 *   123456789012: create the resources a definition touches with the ordinary test clients.
 * - The config switch is server-wide and moves SFN to a different backend: state machines
 *   created before the switch are not visible after it.
 * - An invalid definition comes back with `"__type": null`, which the SDK cannot parse; the
 *   error is re-read over plain HTTP to show moto's parser message.
 */

export interface MotoRunOptions {
  /** @default process.env.AWS_ENDPOINT_URL */
  readonly endpoint?: string;
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  readonly region?: string;
  /** Give up (status stays RUNNING in the result) after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** @default 100 */
  readonly pollMs?: number;
  /**
   * Called after every poll while the execution runs, with the history so far: answer task
   * tokens here (`sfn.send(new SendTaskSuccessCommand(...))`). Return true once done to stop calls.
   */
  readonly onRunning?: (run: { sfn: SFNClient; executionArn: string; events: HistoryEvent[] }) => Promise<boolean | void>;
}

export interface MotoRunResult {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly output?: any;
  readonly error?: string;
  readonly cause?: string;
  readonly events: HistoryEvent[];
  /** State names in the order they were entered (states inside Distributed Map children are not included). */
  readonly visitedStates: string[];
  readonly executionArn: string;
  /** The account the run used (fresh per run). */
  readonly account: string;
}

/** Turns on moto's executor (server-wide; idempotent). */
export async function enableMotoExecutor(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  if (!res.ok) throw new Error(`moto config failed: ${res.status}`);
}

/** Creates `definition` as a state machine on moto, runs it with `input`, and polls it to the end. */
export async function runOnMoto(definition: object, input: unknown, opts: MotoRunOptions = {}): Promise<MotoRunResult> {
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('runOnMoto: no endpoint (AWS_ENDPOINT_URL is unset; is jest globalSetup running moto?)');
  const region = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  await enableMotoExecutor(endpoint);
  const account = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  const sfn = new SFNClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  sfn.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );

  // Keep-alive sockets would hold jest open after the run: destroy the client when done.
  try {
    return await execute(sfn, endpoint, region, account, definition, input, opts);
  } finally {
    sfn.destroy();
  }
}

async function execute(sfn: SFNClient, endpoint: string, region: string, account: string, definition: object, input: unknown, opts: MotoRunOptions): Promise<MotoRunResult> {
  const create = {
    name: `run-${randomUUID()}`,
    definition: JSON.stringify(definition),
    roleArn: `arn:aws:iam::${account}:role/sfn-test`,
  };
  let stateMachineArn: string;
  try {
    ({ stateMachineArn } = (await sfn.send(new CreateStateMachineCommand(create))) as { stateMachineArn: string });
  } catch (err) {
    throw new Error(`moto rejected the definition: ${await motoErrorMessage(endpoint, region, account, create, err)}`);
  }
  const { executionArn } = (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))) as { executionArn: string };

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let listening = Boolean(opts.onRunning);
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await history(sfn, executionArn);
    const status = described.status as MotoRunResult['status'];
    if (status !== 'RUNNING' || Date.now() > deadline) {
      return {
        status,
        output: described.output === undefined ? undefined : JSON.parse(described.output),
        error: described.error,
        cause: described.cause,
        events,
        visitedStates: events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [])),
        executionArn,
        account,
      };
    }
    if (listening && (await opts.onRunning!({ sfn, executionArn, events })) === true) listening = false;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The parameters of every TaskScheduled event, parsed (where a task token shows up). */
export function scheduledTaskParameters(events: readonly HistoryEvent[]): Array<Record<string, unknown>> {
  return events.flatMap((e) => (e.taskScheduledEventDetails?.parameters ? [JSON.parse(e.taskScheduledEventDetails.parameters)] : []));
}

async function motoErrorMessage(endpoint: string, region: string, account: string, body: object, err: unknown): Promise<string> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.CreateStateMachine',
        'x-moto-account-id': account,
        // moto routes on the credential scope; it does not check the signature.
        Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/states/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return err instanceof Error ? err.message : String(err);
  }
}
