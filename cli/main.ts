/** The sitedr command line: option parsing and wiring only; the work happens in cli/commands.ts and cli/runbook-commands.ts. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONCURRENCY, DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS, MAX_CONCURRENCY } from '../lambda/shared/schemas';
import { planCommand, restoreCommand, snapshotCommand, undoCommand, verifySnapshotCommand } from './commands';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK, printJson } from './output';
import { approveCommand, rejectCommand, reportCommand, RunbookDeps, runCommand, statusCommand } from './runbook-commands';
import { RESTORE_SOURCE_HELP, RUN_COMMANDS, RunCommand } from './runbook-input';
import { SOURCE_HELP } from './source';

/** Strict number parsing: "8x" or "" are errors, not 8 or 0. */
function integer(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected an integer');
  return Number(value);
}

const ENDPOINT_HELP = `
S3 endpoint: the AWS SDK's usual configuration (AWS_REGION, AWS_PROFILE, ...); set
AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) to use an emulator, e.g. http://127.0.0.1:5000.

Exit codes: 0 success, 1 failure (operation or verification failed), 2 bad input
(nothing was changed).`;

function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--to <time>', 'SOURCE: the bucket as it was at this ISO-8601 time with a zone, e.g. 2026-12-01T10:00:00Z')
    .option('--allow-empty', 'with --to: allow a time before the first version (hides every key)')
    .option('--snapshot <id>', 'SOURCE: a snapshot id (with --vault)')
    .option('--vault <bucket>', 'the vault bucket holding --snapshot')
    .option('--from-bucket <bucket>', 'SOURCE: make the bucket match this one (the replica)')
    .option('--manifest <s3url>', 'SOURCE: a release manifest s3://bucket/key ({"format":"sitedr-release/1","files":{key: versionId}})')
    .option('--key <key>', 'SOURCE: one key (with --version-id)')
    .option('--version-id <id>', 'the version of --key to restore')
    .option('--undelete', 'SOURCE: remove the delete markers laid since --since')
    .option('--since <time>', 'with --undelete: ISO-8601 time with a zone');
}

function addCommon(cmd: Command): Command {
  return cmd
    .option('--concurrency <n>', `parallel S3 operations, 1-${MAX_CONCURRENCY}`, integer, DEFAULT_CONCURRENCY)
    .option('--json', 'print one machine-readable JSON document on stdout')
    .addHelpText('after', ENDPOINT_HELP);
}

/** Repeatable options (`--path / --path /about/`) collect into an array. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const RUNBOOK_HELP = `
The environment comes from the app's configuration (cdk.json context "sitedr", or --config):
the state machine is <project>-<env>-<runbook> in the environment's recovery region.
AWS credentials and region: the SDK's usual configuration; AWS_ENDPOINT_URL points at an emulator.

Exit codes: 0 started (with --follow: the run SUCCEEDED), 1 the run failed or an AWS call
failed, 2 bad input or runbook not deployed (nothing was started).`;

function addEnvOptions(cmd: Command): Command {
  return cmd
    .option('--env <env>', 'the environment (prod, staging, dev)')
    .option('--config <file>', 'the CDK app configuration to read the environment from', 'cdk.json')
    .option('--json', 'print one machine-readable JSON document on stdout');
}

function addWhy(cmd: Command): Command {
  return cmd
    .option('--reason <text>', 'why (at least 10 characters; goes into the audit record and report)')
    .option('--requested-by <name>', 'who asks (default: $SITEDR_USER, else $USER)');
}

/** The options of each `sitedr run` command beyond --env/--config/--json/--follow. */
const RUN_OPTIONS: Record<RunCommand, { description: string; add: (cmd: Command) => Command }> = {
  backup: {
    description: 'snapshot the site into the vault; with --release also record a release manifest for rollback',
    add: (c) => addWhy(c).option('--release <id>', 'record this release id (release mode)').option('--commit <sha>', 'the release\'s git commit (with --release)').option('--description <text>', 'what the release is (with --release)'),
  },
  restore: {
    description: `plan, approve (where required), execute, verify, invalidate and validate a restore. SOURCE is one of ${RESTORE_SOURCE_HELP}`,
    add: (c) =>
      addWhy(
        c
          .option('--to <time>', 'SOURCE: the site as it was at this ISO-8601 time with a zone')
          .option('--allow-empty', 'with --to: allow a time before the first version (hides every key)')
          .option('--snapshot [id]', 'SOURCE: a vault snapshot (the newest without an id)')
          .option('--replica', 'SOURCE: the replica bucket')
          .option('--release <id>', 'SOURCE: a recorded release')
          .option('--key <key>', 'SOURCE: one key (with --version-id)')
          .option('--version-id <id>', 'the version of --key')
          .option('--undelete', 'SOURCE: remove the delete markers laid since --since')
          .option('--since <time>', 'with --undelete: ISO-8601 time with a zone')
          .option('--undo <s3url>', "SOURCE: undo an earlier restore (its report's undo manifest)")
          .option('--prefix <prefix>', 'only keys starting with this')
          .option('--dry-run', 'plan and report, change nothing')
          .option('--drill', 'restore into the isolated drill bucket, never the live site'),
      ),
  },
  validate: {
    description: 'check the site over HTTP: status codes, links, security headers, TLS, response time',
    add: (c) =>
      c
        .option('--path <path>', 'a critical path that must answer 200 (repeatable)', collect)
        .option('--expect <text>', 'text the index page must contain')
        .option('--watch <minutes>', 're-check every minute for this many minutes', integer)
        .option('--endpoint <endpoint>', 'which hostname: site, standby (the standby distribution) or primary (the primary distribution on its *.cloudfront.net name)'),
  },
  drill: { description: 'restore the newest snapshot into the drill bucket and measure RTO and RPO', add: (c) => c.option('--full', 'the full recovery drill').option('--requested-by <name>', 'who asks (default: $SITEDR_USER, else $USER)') },
  rollback: {
    description: 'roll the site back to a release',
    add: (c) =>
      addWhy(c)
        .option('--method <method>', 'last_known_good | release | content_only | infrastructure_only')
        .option('--release <id>', 'the release to roll back to')
        .option('--commit <sha>', 'or the commit of that release')
        .option('--dry-run', 'plan and report, change nothing'),
  },
  failover: { description: "move the site's hostname to the standby distribution", add: addWhy },
  failback: { description: "move the site's hostname back to the primary distribution", add: addWhy },
  'log-export': { description: 'export CloudWatch logs into the vault (default: the previous 7 days)', add: (c) => c.option('--from <time>', 'window start (ISO-8601 with a zone; with --to)').option('--to <time>', 'window end') },
  'template-backup': { description: 'store every stack template in the vault', add: (c) => c.option('--requested-by <name>', 'who asks (default: $SITEDR_USER, else $USER)') },
};

function addRunbookCommands(program: Command, io: CliIo, setExit: (code: number) => void, deps: RunbookDeps): void {
  const run = program.command('run').description('start a runbook (a Step Functions state machine) in an environment').addHelpText('after', RUNBOOK_HELP);
  for (const name of RUN_COMMANDS) {
    const spec = RUN_OPTIONS[name];
    const cmd = addEnvOptions(spec.add(run.command(name).description(spec.description)))
      .option('--follow', 'show progress until the run ends, then its report; the exit code is the result')
      .addHelpText('after', RUNBOOK_HELP);
    cmd.action(async (flags) => setExit(await runCommand(io, name, flags, deps)));
  }

  program
    .command('approve')
    .description('approve a run waiting for approval (SendTaskSuccess with who and when)')
    .argument('[token]', 'the task token from the approval message or sitedr status')
    .option('--by <name>', 'who approves (default: $SITEDR_USER, else $USER)')
    .option('--env <env>', "the environment (its recovery region gets the token; default: the configuration's shared recovery region)")
    .option('--config <file>', 'the CDK app configuration', 'cdk.json')
    .option('--json', 'print one machine-readable JSON document on stdout')
    .action(async (token, flags) => setExit(await approveCommand(io, token, flags, deps)));

  program
    .command('reject')
    .description('reject a run waiting for approval (SendTaskFailure ApprovalRejected); the run reports and stops')
    .argument('[token]', 'the task token from the approval message or sitedr status')
    .option('--reason <text>', 'why (required; goes into the failure report)')
    .option('--env <env>', "the environment (its recovery region gets the token; default: the configuration's shared recovery region)")
    .option('--config <file>', 'the CDK app configuration', 'cdk.json')
    .option('--json', 'print one machine-readable JSON document on stdout')
    .action(async (token, flags) => setExit(await rejectCommand(io, token, flags, deps)));

  addEnvOptions(program.command('status').description('last runs per runbook, newest backup against the RPO, replication latency, last drill, open approvals'))
    .addHelpText('after', RUNBOOK_HELP)
    .action(async (flags) => setExit(await statusCommand(io, flags, deps)));

  program
    .command('report')
    .description("print a run's Markdown report from the vault (the JSON report with --json)")
    .argument('[executionArn]', 'the execution ARN (printed by sitedr run)')
    .option('--env <env>', 'the environment, when its vault is in another region than the runbooks')
    .option('--config <file>', 'the CDK app configuration', 'cdk.json')
    .option('--json', 'print one machine-readable JSON document on stdout')
    .action(async (arn, flags) => setExit(await reportCommand(io, arn, flags, deps)));
}

export function buildProgram(io: CliIo, setExit: (code: number) => void, deps: RunbookDeps = {}): Command {
  const program = new Command('sitedr')
    .description('Disaster-recovery engine for a static site on S3: snapshots, plans, restores, undo.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENDPOINT_HELP);

  addCommon(
    program
      .command('snapshot')
      .description('copy the current site (or a prefix) into the vault under snapshots/<id>/ with a manifest; unchanged objects reuse earlier copies')
      .option('--bucket <bucket>', 'the content bucket')
      .option('--vault <bucket>', 'the vault bucket (Object Lock)')
      .option('--prefix <prefix>', 'only keys starting with this', '')
      .addOption(new Option('--storage-class <class>', 'storage class of the vault copies').default('GLACIER_IR'))
      .option('--reuse-max-age-days <days>', 'reuse an earlier copy only while younger than this (the vault keeps snapshot objects this much longer than their retention)', integer, DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS),
  ).action(async (flags) => setExit(await snapshotCommand(io, flags)));

  addCommon(
    addSourceOptions(
      program
        .command('plan')
        .description(`show what a restore would change, without changing anything. SOURCE is ${SOURCE_HELP}`)
        .option('--bucket <bucket>', 'the bucket to restore')
        .option('--prefix <prefix>', 'only keys starting with this', '')
        .option('--limit <n>', 'operations to list in the human output', integer, 20),
    ),
  ).action(async (flags) => setExit(await planCommand(io, flags)));

  addCommon(
    addSourceOptions(
      program
        .command('restore')
        .description(`make the bucket match SOURCE: plan, record the undo manifest, execute, verify. SOURCE is ${SOURCE_HELP}`)
        .option('--bucket <bucket>', 'the bucket to restore')
        .option('--prefix <prefix>', 'only keys starting with this', '')
        .option('--dry-run', 'plan and print, change nothing')
        .option('--record <s3url>', 'where plans, undo manifests and results are kept (default: $SITEDR_RECORD)')
        .option('--copy-tags', 'copy object tags with the content')
        .option('--multipart-threshold <bytes>', 'copy objects larger than this with multipart UploadPartCopy (default 5 GiB)', integer)
        .option('--limit <n>', 'operations to list in the human output', integer, 20),
    ),
  ).action(async (flags) => setExit(await restoreCommand(io, flags)));

  addCommon(
    program
      .command('verify-snapshot')
      .description('check that every manifest entry of a snapshot is in the vault with the recorded size and ETag (or checksum with --deep)')
      .option('--vault <bucket>', 'the vault bucket')
      .option('--snapshot <id>', 'the snapshot id')
      .option('--deep', 'also compare stored checksums (one HEAD per object)'),
  ).action(async (flags) => setExit(await verifySnapshotCommand(io, flags)));

  addCommon(
    program
      .command('undo')
      .description("undo a restore: every key it touched shows what it showed before (from the run's undo manifest)")
      .option('--manifest <s3url>', 'the undo manifest printed by the restore (s3://.../runs/<id>/undo.jsonl)')
      .option('--dry-run', 'plan and print, change nothing')
      .option('--record <s3url>', "where this undo's own records go (default: next to the restore's)"),
  ).action(async (flags) => setExit(await undoCommand(io, flags)));

  addRunbookCommands(program, io, setExit, deps);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, deps: RunbookDeps = {}): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code), deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
      // Unknown options, missing option values, malformed numbers: bad input, nothing touched.
      if (argv.includes('--json')) printJson(io, { command: argv[0] ?? null, ok: false, error: { name: 'InvalidInput', message: err.message } });
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}
