/**
 * The runbook commands of the operator CLI (run, approve, reject, status, report): they start and
 * watch the deployed Step Functions runbooks. Each returns its exit code.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { InvalidInput } from '../lambda/shared/errors';
import { AwsClients, ClientFactory, awsClients } from './aws-clients';
import { DEFAULT_CONFIG_FILE, loadEnvironment, sharedRecoveryRegion } from './environment';
import { FollowOptions, followExecution } from './follower';
import { CliIo, EXIT_FAILED, EXIT_OK, printError, printJson } from './output';
import { RunCommand, RunFlags, buildRunbookInput, requester } from './runbook-input';
import { describeExecution, executionHistory, findReport, readS3Text, regionOfArn, requireStateMachine, startRunbook } from './runbooks';
import { environmentStatus, renderStatus } from './status';

/** What the runbook commands need from outside: SDK clients, the clock, the poll sleep (tests inject them). */
export interface RunbookDeps {
  readonly clients?: ClientFactory;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** --follow's poll interval. @default 2000 */
  readonly pollMs?: number;
}

interface EnvFlags {
  readonly env?: string;
  readonly config?: string;
  readonly json?: boolean;
}

export interface RunCommandFlags extends RunFlags, EnvFlags {
  readonly follow?: boolean;
}

/** Runs a command body with its clients, turning any error into output and an exit code. */
async function guarded(io: CliIo, command: string, json: boolean, deps: RunbookDeps, body: (clients: AwsClients) => Promise<number>): Promise<number> {
  const clients = awsClients(deps.clients);
  try {
    return await body(clients);
  } catch (err) {
    return printError(io, command, err, json);
  } finally {
    clients.destroy();
  }
}

function followOptions(deps: RunbookDeps): FollowOptions {
  return { pollMs: deps.pollMs, now: deps.now, sleep: deps.sleep };
}

export function runCommand(io: CliIo, command: RunCommand, flags: RunCommandFlags, deps: RunbookDeps = {}): Promise<number> {
  const json = !!flags.json;
  const name = `run ${command}`;
  return guarded(io, name, json, deps, async (clients) => {
    // Everything the operator typed is checked before any AWS call: bad input starts nothing.
    const config = loadEnvironment(flags.env, flags.config ?? DEFAULT_CONFIG_FILE);
    const { runbook, input } = buildRunbookInput(command, flags, io.env);
    const sfn = clients.sfn(config.recoveryRegion);
    const machine = await requireStateMachine(sfn, config, runbook);
    const now = deps.now ?? (() => new Date());
    const started = await startRunbook(sfn, machine, runbook, input, now());
    if (!json) io.stdout.write(`started ${runbook} in ${config.name}: ${started.executionArn}\n${started.consoleUrl}\n`);
    const doc = { command: name, environment: config.name, runbook, stateMachineArn: machine, executionArn: started.executionArn, name: started.name, startDate: started.startDate, consoleUrl: started.consoleUrl, input };
    if (!flags.follow) {
      if (json) printJson(io, { ok: true, ...doc });
      return EXIT_OK;
    }
    const followed = await followExecution(sfn, started.executionArn, io, followOptions(deps));
    const ok = followed.status === 'SUCCEEDED';
    const ref = findReport(followed.output, followed.events);
    const markdown = ref ? await readS3Text(clients.s3(config.vault.region), ref.markdownUrl).catch((err: Error) => `(the report ${ref.markdownUrl} cannot be read: ${err.message})\n`) : undefined;
    if (json) {
      printJson(io, { ok, ...doc, status: followed.status, error: followed.state.error ?? null, report: ref ?? null });
    } else if (markdown) {
      io.stdout.write('\n' + markdown + (markdown.endsWith('\n') ? '' : '\n'));
    } else {
      io.stdout.write(`no report: the run ended ${followed.status} before its report step${followed.state.error ? ` (${followed.state.error.error}: ${followed.state.error.cause})` : ''}\n`);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
  });
}

interface TokenFlags {
  readonly env?: string;
  readonly config?: string;
  readonly json?: boolean;
}

/**
 * Task tokens carry no region the SDK can route by: the environment's recovery region with --env,
 * else the one recovery region all configured environments share, else the SDK's default region.
 */
function tokenRegion(flags: TokenFlags, env: NodeJS.ProcessEnv): string {
  if (flags.env) return loadEnvironment(flags.env, flags.config ?? DEFAULT_CONFIG_FILE).recoveryRegion;
  const region = sharedRecoveryRegion(flags.config ?? DEFAULT_CONFIG_FILE) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new InvalidInput('--env', 'the environment whose runbook waits (its recovery region receives the token)', 'cannot tell which region the token belongs to; add --env ENV');
  return region;
}

function requireToken(token: string | undefined): string {
  if (!token || token.trim() === '') throw new InvalidInput('TOKEN', 'the task token printed by the approval request (sitedr status lists open ones)', 'no task token given');
  return token.trim();
}

export function approveCommand(io: CliIo, token: string | undefined, flags: TokenFlags & { readonly by?: string }, deps: RunbookDeps = {}): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'approve', json, deps, async (clients) => {
    const taskToken = requireToken(token);
    const approvedBy = flags.by ?? requester({}, io.env);
    if (!approvedBy) throw new InvalidInput('--by', 'who approves (a name or e-mail)', 'no approver: pass --by NAME or set SITEDR_USER');
    const approval = { approvedBy, approvedAt: (deps.now?.() ?? new Date()).toISOString() };
    await clients.sfn(tokenRegion(flags, io.env)).send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(approval) }));
    if (json) printJson(io, { command: 'approve', ok: true, ...approval });
    else io.stdout.write(`approved by ${approvedBy}: the run continues\n`);
    return EXIT_OK;
  });
}

export function rejectCommand(io: CliIo, token: string | undefined, flags: TokenFlags & { readonly reason?: string }, deps: RunbookDeps = {}): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'reject', json, deps, async (clients) => {
    const taskToken = requireToken(token);
    const reason = flags.reason?.trim();
    if (!reason) throw new InvalidInput('--reason', 'why the run is rejected (it goes into the failure report)', '--reason is required');
    await clients.sfn(tokenRegion(flags, io.env)).send(new SendTaskFailureCommand({ taskToken, error: 'ApprovalRejected', cause: reason }));
    if (json) printJson(io, { command: 'reject', ok: true, error: 'ApprovalRejected', cause: reason });
    else io.stdout.write(`rejected: the run fails with ApprovalRejected and reports what it had done so far\n`);
    return EXIT_OK;
  });
}

export function statusCommand(io: CliIo, flags: EnvFlags, deps: RunbookDeps = {}): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'status', json, deps, async (clients) => {
    const config = loadEnvironment(flags.env, flags.config ?? DEFAULT_CONFIG_FILE);
    const status = await environmentStatus(clients, config, deps.now?.() ?? new Date());
    if (json) printJson(io, { command: 'status', ok: true, ...status });
    else io.stdout.write(renderStatus(status));
    return EXIT_OK;
  });
}

export function reportCommand(io: CliIo, executionArn: string | undefined, flags: EnvFlags, deps: RunbookDeps = {}): Promise<number> {
  const json = !!flags.json;
  return guarded(io, 'report', json, deps, async (clients) => {
    if (!executionArn) throw new InvalidInput('EXECUTION_ARN', 'the ARN of a runbook execution', 'no execution ARN given');
    const region = regionOfArn(executionArn);
    // The vault is in the recovery region (the execution's) unless the config puts it elsewhere: --env reads that.
    const vaultRegion = flags.env ? loadEnvironment(flags.env, flags.config ?? DEFAULT_CONFIG_FILE).vault.region : region;
    const sfn = clients.sfn(region);
    const described = await describeExecution(sfn, executionArn);
    const ref = findReport(described.output, await executionHistory(sfn, executionArn));
    if (!ref) {
      throw Object.assign(new Error(`execution ${executionArn} is ${described.status} and has no report${described.status === 'RUNNING' ? ' yet (follow it with sitedr run ... --follow, or wait)' : ' (it ended before its report step)'}`), { name: 'NoReport' });
    }
    const s3 = clients.s3(vaultRegion);
    if (json) printJson(io, { command: 'report', ok: true, executionArn, status: described.status, reportUrl: ref.reportUrl, markdownUrl: ref.markdownUrl, report: JSON.parse(await readS3Text(s3, ref.reportUrl)) });
    else io.stdout.write(await readS3Text(s3, ref.markdownUrl));
    return EXIT_OK;
  });
}
