/**
 * Reading Step Functions definitions out of a synthesized CloudFormation template, and
 * describing what they contain, for the runbook end-to-end tests.
 *
 * CDK emits `DefinitionString` as an `Fn::Join` of JSON fragments and tokens (`Ref`,
 * `Fn::GetAtt`, pseudo parameters), and `DefinitionSubstitutions` when a definition carries
 * `${Name}` placeholders. Nothing is deployed here, so every resource reference is replaced by
 * a stable placeholder derived from its logical id (a Lambda function becomes
 * `arn:aws:lambda:us-west-2:111111111111:function:<LogicalId>`); that lets a test map a Task
 * state back to the function (and so to its real handler) without knowing generated names.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export type { StateMachineDefinition };

/** The placeholder environment used for pseudo parameters and placeholder ARNs. */
export interface PlaceholderEnv {
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'us-west-2' */
  readonly region?: string;
  /** @default '111111111111' */
  readonly account?: string;
}

export interface ExtractedStateMachine {
  /** Logical id of the AWS::StepFunctions::StateMachine resource. */
  readonly logicalId: string;
  /** The key this machine has in the map returned by {@link extractStateMachines}. */
  readonly name: string;
  /** The definition with every intrinsic and `${Substitution}` resolved. */
  readonly definition: StateMachineDefinition;
  /** The resource's tags as a plain record. */
  readonly tags: Readonly<Record<string, string>>;
  /** STANDARD unless the template says EXPRESS. */
  readonly stateMachineType: 'STANDARD' | 'EXPRESS';
}

/** The tag a runbook construct puts on its state machine (see lib/constructs/runbook.ts). */
export const RUNBOOK_TAG_KEY = 'sitedr:runbook';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
}

/**
 * Every state machine in `template` (as returned by `Template.fromStack(stack).toJSON()`),
 * keyed by `StateMachineName` if set, else the `sitedr:runbook` tag, else the logical id.
 * Throws when two machines would get the same key, or an intrinsic cannot be resolved.
 */
export function extractStateMachines(template: object, env: PlaceholderEnv = {}): Map<string, ExtractedStateMachine> {
  const cfn = template as CfnTemplate;
  const resolver = new IntrinsicResolver(cfn, env);
  const machines = new Map<string, ExtractedStateMachine>();
  for (const [logicalId, resource] of Object.entries(cfn.Resources ?? {})) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = resource.Properties ?? {};
    const definition = resolveDefinition(logicalId, props, resolver);
    const tags = tagRecord(props.Tags, resolver);
    const explicitName = props.StateMachineName === undefined ? undefined : resolver.toText(props.StateMachineName);
    const name = explicitName ?? tags[RUNBOOK_TAG_KEY] ?? logicalId;
    if (machines.has(name)) throw new Error(`two state machines are both named '${name}' (${machines.get(name)!.logicalId}, ${logicalId})`);
    machines.set(name, {
      logicalId,
      name,
      definition,
      tags,
      stateMachineType: props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    });
  }
  return machines;
}

function resolveDefinition(logicalId: string, props: Record<string, unknown>, resolver: IntrinsicResolver): StateMachineDefinition {
  let text: string;
  if (props.DefinitionString !== undefined) text = resolver.toText(props.DefinitionString);
  else if (props.Definition !== undefined) text = JSON.stringify(resolver.resolveDeep(props.Definition));
  else throw new Error(`${logicalId}: only DefinitionString and Definition are supported (not DefinitionS3Location)`);
  // CloudFormation substitutes into the raw text before Step Functions parses it, so do the same.
  const substitutions = (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) {
    text = text.split(`\${${key}}`).join(resolver.toText(value));
  }
  const leftover = /\$\{[A-Za-z0-9_]+\}/.exec(text);
  if (leftover) throw new Error(`${logicalId}: definition still contains ${leftover[0]} with no DefinitionSubstitutions entry`);
  return JSON.parse(text) as StateMachineDefinition;
}

function tagRecord(tags: unknown, resolver: IntrinsicResolver): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const tag of tags as Array<{ Key: unknown; Value: unknown }>) out[resolver.toText(tag.Key)] = resolver.toText(tag.Value);
  } else if (tags && typeof tags === 'object') {
    for (const [k, v] of Object.entries(tags)) out[k] = resolver.toText(v);
  }
  return out;
}

/** Resolves the CloudFormation intrinsics CDK puts in definitions to placeholder strings. */
class IntrinsicResolver {
  private readonly partition: string;
  private readonly region: string;
  private readonly account: string;

  constructor(
    private readonly template: CfnTemplate,
    env: PlaceholderEnv,
  ) {
    this.partition = env.partition ?? 'aws';
    this.region = env.region ?? 'us-west-2';
    this.account = env.account ?? '111111111111';
  }

  /** Resolves a value that must end up a string (definition text, tag, substitution value). */
  toText(value: unknown): string {
    const resolved = this.resolveDeep(value);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new Error(`expected a string, got ${JSON.stringify(resolved)}`);
  }

  resolveDeep(value: unknown): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v));
    if (value === null || typeof value !== 'object') return value as Json;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], obj[keys[0]]);
    const out: Record<string, Json> = {};
    for (const key of keys) out[key] = this.resolveDeep(obj[key]);
    return out;
  }

  private intrinsic(fn: string, arg: unknown): Json {
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/s);
        return this.getAtt(id, attr);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown];
        const list = this.resolveDeep(parts);
        if (!Array.isArray(list)) throw new Error(`Fn::Join over a non-list: ${JSON.stringify(parts)}`);
        return list.map((p) => this.toText(p)).join(sep);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
        return text
          .replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
            if (name in vars) return this.toText(vars[name]);
            const [id, attr] = name.split(/\.(.*)/s);
            return attr ? this.toText(this.getAtt(id, attr)) : this.toText(this.ref(id));
          })
          // `${!Literal}` is Fn::Sub's escape for a literal `${Literal}`.
          .replace(/\$\{!/g, '${');
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const resolved = this.resolveDeep(list);
        if (!Array.isArray(resolved)) throw new Error(`Fn::Select over a non-list: ${JSON.stringify(list)}`);
        return resolved[Number(this.resolveDeep(index))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return this.toText(text).split(sep);
      }
      case 'Fn::ImportValue':
        // A cross-stack reference: the exporting stack is not in this template, so a named placeholder.
        return `imported:${this.toText(arg)}`;
      default:
        throw new Error(`unsupported intrinsic ${fn}: ${JSON.stringify(arg)}`);
    }
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'Stack';
      case 'AWS::NoValue':
        throw new Error('AWS::NoValue inside a definition is not supported');
    }
    const param = this.template.Parameters?.[id];
    if (param) return param.Default !== undefined ? this.toText(param.Default) : id;
    const type = this.resourceType(id);
    // What `Ref` returns differs per resource type; mirror CloudFormation so placeholders look real.
    switch (type) {
      case 'AWS::Lambda::Function':
      case 'AWS::DynamoDB::Table':
      case 'AWS::Logs::LogGroup':
      case 'AWS::IAM::Role':
      case 'AWS::SSM::Parameter':
      case 'AWS::Events::EventBus':
        return id;
      case 'AWS::S3::Bucket':
        return id.toLowerCase();
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${id}`;
      default:
        // SNS topics, state machines, activities, and most others return their ARN.
        return this.arn(type, id);
    }
  }

  private getAtt(id: string, attr: string): string {
    const type = this.resourceType(id);
    if (attr === 'Arn' || attr.endsWith('Arn')) return this.arn(type, id);
    if (attr === 'Name' || attr.endsWith('Name')) return type === 'AWS::S3::Bucket' ? id.toLowerCase() : id;
    return `${id}.${attr}`;
  }

  private arn(type: string, id: string): string {
    const { partition: p, region: r, account: a } = this;
    switch (type) {
      case 'AWS::Lambda::Function':
        return `arn:${p}:lambda:${r}:${a}:function:${id}`;
      case 'AWS::SNS::Topic':
        return `arn:${p}:sns:${r}:${a}:${id}`;
      case 'AWS::SQS::Queue':
        return `arn:${p}:sqs:${r}:${a}:${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${p}:states:${r}:${a}:stateMachine:${id}`;
      case 'AWS::StepFunctions::Activity':
        return `arn:${p}:states:${r}:${a}:activity:${id}`;
      case 'AWS::S3::Bucket':
        return `arn:${p}:s3:::${id.toLowerCase()}`;
      case 'AWS::IAM::Role':
        return `arn:${p}:iam::${a}:role/${id}`;
      case 'AWS::DynamoDB::Table':
        return `arn:${p}:dynamodb:${r}:${a}:table/${id}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${p}:logs:${r}:${a}:log-group:${id}:*`;
      default: {
        const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:${p}:${service}:${r}:${a}:${id}`;
      }
    }
  }

  private resourceType(id: string): string {
    const resource = this.template.Resources?.[id];
    if (!resource) throw new Error(`reference to '${id}', which is neither a resource, a parameter nor a pseudo parameter`);
    return resource.Type;
  }
}

// ---------------------------------------------------------------------------------------------
// Walking a definition
// ---------------------------------------------------------------------------------------------

/** Any state, loosely typed: the runner's types do not know JSONata, Assign, ItemReader, .... */
export type AnyState = Record<string, unknown> & { Type: string };
interface StateGraph {
  StartAt: string;
  States: Record<string, AnyState>;
  QueryLanguage?: string;
}

export interface VisitedState {
  readonly stateName: string;
  readonly state: AnyState;
  /** Names of the Map/Parallel states this one is nested in, outermost first. */
  readonly parents: readonly string[];
  /** The effective query language (a state inherits it from the machine). */
  readonly queryLanguage: 'JSONPath' | 'JSONata';
}

/** Every state, depth first, including those inside Map ItemProcessor/Iterator and Parallel branches. */
export function allStates(definition: StateMachineDefinition | object): VisitedState[] {
  const out: VisitedState[] = [];
  const walk = (graph: StateGraph, parents: string[], inherited: 'JSONPath' | 'JSONata') => {
    const graphLanguage = graph.QueryLanguage === 'JSONata' ? 'JSONata' : inherited;
    for (const [stateName, state] of Object.entries(graph.States)) {
      const queryLanguage = state.QueryLanguage === 'JSONata' ? 'JSONata' : state.QueryLanguage === 'JSONPath' ? 'JSONPath' : graphLanguage;
      out.push({ stateName, state, parents, queryLanguage });
      const processor = (state.ItemProcessor ?? state.Iterator) as StateGraph | undefined;
      if (processor) walk(processor, [...parents, stateName], queryLanguage);
      for (const branch of (state.Branches as StateGraph[] | undefined) ?? []) walk(branch, [...parents, stateName], queryLanguage);
    }
  };
  walk(definition as StateGraph, [], 'JSONPath');
  return out;
}

/** The parts of a Task `Resource` ARN: `arn:aws:states:::<service>:<action>[.<pattern>]`. */
export interface TaskResource {
  /** `lambda`, `sns`, `states`, `aws-sdk:s3`, ..., or `lambda-direct` for a function ARN, `activity`. */
  readonly service: string;
  /** `invoke`, `publish`, `startExecution`, `listObjectsV2`, ... (empty for direct/activity). */
  readonly action: string;
  readonly pattern: 'request-response' | 'sync' | 'waitForTaskToken';
}

export function parseTaskResource(resource: string): TaskResource {
  const integration = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  if (integration) {
    let rest = integration[1];
    let pattern: TaskResource['pattern'] = 'request-response';
    const suffix = /\.(sync(?::\d+)?|waitForTaskToken)$/.exec(rest);
    if (suffix) {
      pattern = suffix[1] === 'waitForTaskToken' ? 'waitForTaskToken' : 'sync';
      rest = rest.slice(0, suffix.index);
    }
    const cut = rest.lastIndexOf(':');
    return { service: rest.slice(0, cut), action: rest.slice(cut + 1), pattern };
  }
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) return { service: 'lambda-direct', action: '', pattern: 'request-response' };
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) return { service: 'activity', action: '', pattern: 'request-response' };
  throw new Error(`unrecognised Task Resource '${resource}'`);
}

export interface LambdaTaskState {
  readonly stateName: string;
  /** The function's logical id, or undefined when the name is only known at run time (`FunctionName.$`). */
  readonly functionLogicalId: string | undefined;
  /**
   * `invoke`: `arn:aws:states:::lambda:invoke` (the result is the envelope `{ Payload, StatusCode, ... }`);
   * `direct`: `Resource` is the function ARN (what CDK emits for `payloadResponseOnly: true`; the result is the return value).
   */
  readonly integration: 'invoke' | 'direct';
  readonly pattern: TaskResource['pattern'];
  readonly parents: readonly string[];
}

/** Every Task state that invokes a Lambda function, with the function mapped back to its logical id. */
export function lambdaTaskStates(definition: StateMachineDefinition | object): LambdaTaskState[] {
  const out: LambdaTaskState[] = [];
  for (const { stateName, state, parents } of allStates(definition)) {
    if (state.Type !== 'Task') continue;
    const resource = parseTaskResource(String(state.Resource));
    if (resource.service === 'lambda-direct') {
      out.push({ stateName, functionLogicalId: functionNameOf(String(state.Resource)), integration: 'direct', pattern: 'request-response', parents });
    } else if (resource.service === 'lambda' && resource.action === 'invoke') {
      const params = (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
      const name = typeof params.FunctionName === 'string' ? functionNameOf(params.FunctionName) : undefined;
      out.push({ stateName, functionLogicalId: name, integration: 'invoke', pattern: resource.pattern, parents });
    }
  }
  return out;
}

/** A function name from a name, partial ARN or (qualified) ARN: the placeholder name is the logical id. */
function functionNameOf(ref: string): string {
  const arn = /(?:^|:)function:([^:]+)/.exec(ref);
  if (arn) return arn[1];
  return ref.split(':')[0];
}

export interface ServiceTaskState extends TaskResource {
  readonly stateName: string;
  readonly resource: string;
  readonly parents: readonly string[];
}

/** Every Task state that is not a plain Lambda invocation (sns:publish, states:startExecution, aws-sdk:*, token waits, ...). */
export function serviceTaskStates(definition: StateMachineDefinition | object): ServiceTaskState[] {
  const lambdaNames = new Set(lambdaTaskStates(definition).filter((t) => t.pattern !== 'waitForTaskToken').map((t) => t.stateName));
  return allStates(definition)
    .filter(({ stateName, state }) => state.Type === 'Task' && !lambdaNames.has(stateName))
    .map(({ stateName, state, parents }) => ({ stateName, resource: String(state.Resource), parents, ...parseTaskResource(String(state.Resource)) }));
}

// ---------------------------------------------------------------------------------------------
// Features
// ---------------------------------------------------------------------------------------------

/**
 * The ASL features a definition uses, as stable strings a guard test can compare against what
 * the tests exercise. State types appear as their name ('Task', 'Pass', 'Choice', 'Wait',
 * 'Succeed', 'Fail', 'Parallel') except Map, which appears as 'Map:INLINE' or 'Map:DISTRIBUTED';
 * state fields as their name ('Retry', 'Catch', 'ResultSelector', 'ItemReader', 'ItemBatcher',
 * 'ResultWriter', 'ItemSelector', 'ToleratedFailure', 'Assign', 'InputPath', 'OutputPath',
 * 'ResultPath', 'TimeoutSeconds', 'HeartbeatSeconds', 'Fail:ErrorPath', 'Fail:CausePath');
 * 'JSONata' when any state evaluates JSONata; Task integrations as 'integration:<service>:<action>'
 * plus 'waitForTaskToken' / 'sync'; intrinsic functions as 'intrinsic:States.Format' etc.;
 * 'contextObject' when a path reads `$$.`.
 */
export function usedFeatures(definition: StateMachineDefinition | object): Set<string> {
  const features = new Set<string>();
  if ((definition as StateGraph).QueryLanguage === 'JSONata') features.add('JSONata');
  for (const { state, queryLanguage } of allStates(definition)) {
    if (queryLanguage === 'JSONata') features.add('JSONata');
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
      features.add(processor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? 'Map:DISTRIBUTED' : 'Map:INLINE');
    } else {
      features.add(state.Type);
    }
    for (const field of ['Retry', 'Catch', 'ResultSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'ItemSelector', 'Assign', 'InputPath', 'OutputPath', 'ResultPath', 'TimeoutSeconds', 'HeartbeatSeconds', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'Credentials', 'Label']) {
      if (state[field] !== undefined) features.add(field);
    }
    if (['ToleratedFailurePercentage', 'ToleratedFailureCount', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath'].some((f) => state[f] !== undefined)) {
      features.add('ToleratedFailure');
    }
    if (state.Type === 'Fail') {
      if (state.ErrorPath !== undefined) features.add('Fail:ErrorPath');
      if (state.CausePath !== undefined) features.add('Fail:CausePath');
    }
    if (state.Type === 'Task') {
      const resource = parseTaskResource(String(state.Resource));
      features.add(resource.service === 'lambda-direct' ? 'integration:lambda:direct' : `integration:${resource.service}${resource.action ? `:${resource.action}` : ''}`);
      if (resource.pattern !== 'request-response') features.add(resource.pattern);
    }
    // Expressions live in string values of every payload-shaped field (and in Choice variables).
    const { ItemProcessor: _p, Iterator: _i, Branches: _b, ...own } = state;
    scanStrings(own, (text) => {
      for (const m of text.matchAll(/\b(States\.[A-Za-z]+)\(/g)) features.add(`intrinsic:${m[1]}`);
      if (/(^|[^$])\$\$\./.test(text)) features.add('contextObject');
    });
  }
  return features;
}

function scanStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => scanStrings(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => scanStrings(v, visit));
}
