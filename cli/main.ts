/** The sitedr command line: option parsing and wiring only; the work happens in cli/commands.ts. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONCURRENCY, DEFAULT_SNAPSHOT_REUSE_MAX_AGE_DAYS, MAX_CONCURRENCY } from '../lambda/shared/schemas';
import { planCommand, restoreCommand, snapshotCommand, undoCommand, verifySnapshotCommand } from './commands';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK, printJson } from './output';
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

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
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

  return program;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
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
