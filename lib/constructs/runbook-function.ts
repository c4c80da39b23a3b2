import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { METRIC_NAMESPACE } from '../../lambda/shared/metric-names';

/** The Lambda runtime every task runs on: the newest Node.js runtime aws-cdk-lib offers, pinned. */
export const RUNBOOK_RUNTIME = lambda.Runtime.NODEJS_26_X;

/** Where handler entry files live: `lambda/handlers/<handler>.ts`. */
export const HANDLERS_DIR = join(__dirname, '..', '..', 'lambda', 'handlers');

export interface RunbookFunctionProps {
  /** Handler file name without extension, under lambda/handlers/. */
  readonly handler: string;
  /** What the task does (Lambda description). */
  readonly description: string;
  /** Physical role name: the vault's bucket policy trusts runbook roles by name prefix. */
  readonly roleName: string;
  /**
   * Environment variables; merged over the defaults, never replacing them.
   * @default - only the defaults (POWERTOOLS_*, NODE_OPTIONS)
   */
  readonly environment?: Record<string, string>;
  /**
   * Timeout.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (more memory is more CPU and network for large copies).
   * @default 1024
   */
  readonly memorySize?: number;
  /** Powertools service name and metrics namespace. */
  readonly serviceName: string;
  /** Log retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * One Step Functions task: a NodejsFunction bundled with the local esbuild (arm64, minified,
 * source maps on), its own log group, X-Ray tracing, and its own named role that starts with
 * no permissions beyond logs and tracing; each caller grants exactly what its task needs.
 */
export class RunbookFunction extends Construct {
  public readonly function: lambda.IFunction;
  public readonly role: iam.IRole;
  public readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: RunbookFunctionProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.handler)) {
      throw new Error(`RunbookFunction handler: expected a file name like "execute-batch", got "${props.handler}"`);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runbook task ${props.handler}: ${props.description}`,
    });
    // Written out instead of the AWSLambdaBasicExecutionRole managed policy: scoped to this log group.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    this.role = role;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(HANDLERS_DIR, `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: RUNBOOK_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node26',
        // The runtime ships SDK v3, but bundling our pinned version keeps behaviour identical to the tests.
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }
}
