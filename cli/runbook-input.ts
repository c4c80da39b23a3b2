/**
 * Builds a runbook's execution input from `sitedr run` flags. Pure: the input is parsed with the
 * same schema the runbook's Prepare task uses (RUNBOOK_INPUTS), so anything the runbook would
 * reject is rejected here first, as InvalidInput naming the flag, before an execution starts.
 */
import { InvalidInput } from '../lambda/shared/errors';
import { RUNBOOK_INPUTS, RunbookName } from '../lambda/shared/runbook-inputs';
import { parseInput } from '../lambda/shared/schemas';
import { runbookFlagFor } from './fields';
import { onlyWith, requires } from './source';

/** What `sitedr run` accepts: the runbooks, plus failback (the failover runbook in the other direction). */
export const RUN_COMMANDS = ['backup', 'restore', 'validate', 'drill', 'rollback', 'failover', 'failback', 'log-export', 'template-backup'] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];

/** The state machine a command starts. */
export function runbookOf(command: RunCommand): RunbookName {
  return command === 'failback' ? 'failover' : command;
}

/** Every flag of every `sitedr run` command, as commander hands them over (unset flags absent). */
export interface RunFlags {
  // backup
  readonly release?: string;
  readonly commit?: string;
  readonly description?: string;
  // restore sources
  readonly to?: string;
  readonly allowEmpty?: boolean;
  /** `--snapshot` alone is true (the newest snapshot); `--snapshot ID` is the id. */
  readonly snapshot?: string | boolean;
  readonly replica?: boolean;
  readonly key?: string;
  readonly versionId?: string;
  readonly undelete?: boolean;
  readonly since?: string;
  readonly undo?: string;
  // restore and rollback
  readonly prefix?: string;
  readonly dryRun?: boolean;
  readonly drill?: boolean;
  readonly reason?: string;
  readonly requestedBy?: string;
  readonly method?: string;
  // validate
  readonly path?: readonly string[];
  readonly expect?: string;
  readonly watch?: number;
  readonly endpoint?: string;
  // drill
  readonly full?: boolean;
  // log-export
  readonly from?: string;
}

export const RESTORE_SOURCE_HELP = '--to TIME [--allow-empty] | --snapshot [ID] | --replica | --release ID | --key K --version-id V | --undelete --since TIME | --undo S3URL';

/** The restore source: exactly one of the SOURCE flags, with its companions. */
export function restoreSourceFromFlags(f: RunFlags): Record<string, unknown> {
  const chosen = [
    f.to !== undefined && '--to',
    f.snapshot !== undefined && '--snapshot',
    f.replica && '--replica',
    f.release !== undefined && '--release',
    f.key !== undefined && '--key',
    f.undelete && '--undelete',
    f.undo !== undefined && '--undo',
  ].filter((x): x is string => typeof x === 'string');
  if (chosen.length !== 1) {
    throw new InvalidInput('SOURCE', `exactly one of ${RESTORE_SOURCE_HELP}`, chosen.length === 0 ? 'no source given' : `more than one source given: ${chosen.join(', ')}`);
  }
  onlyWith('--allow-empty', '--to', f.allowEmpty, f.to);
  onlyWith('--version-id', '--key', f.versionId, f.key);
  onlyWith('--since', '--undelete', f.since, f.undelete);
  switch (chosen[0]) {
    case '--to':
      return { type: 'pointInTime', at: f.to, allowEmpty: f.allowEmpty ?? false };
    case '--snapshot':
      return typeof f.snapshot === 'string' ? { type: 'snapshot', snapshotId: f.snapshot } : { type: 'snapshot' };
    case '--replica':
      return { type: 'replica' };
    case '--release':
      return { type: 'release', releaseId: f.release };
    case '--key':
      requires('--key', '--version-id', f.versionId);
      return { type: 'version', key: f.key, versionId: f.versionId };
    case '--undelete':
      requires('--undelete', '--since', f.since);
      return { type: 'undelete', since: f.since };
    default:
      return { type: 'undo', manifest: f.undo };
  }
}

/** Who asks: --requested-by, else $SITEDR_USER, else $USER (undefined lets the schema say it is missing). */
export function requester(f: RunFlags, env: NodeJS.ProcessEnv): string | undefined {
  return f.requestedBy ?? (env.SITEDR_USER || env.USER || undefined);
}

/** Drops unset fields, so schema defaults apply and strict schemas do not see `undefined` keys. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The raw input of each command, before the schema checks values. */
function rawInput(command: RunCommand, f: RunFlags, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const requestedBy = requester(f, env);
  switch (command) {
    case 'backup': {
      onlyWith('--commit', '--release', f.commit, f.release);
      onlyWith('--description', '--release', f.description, f.release);
      const release = f.release !== undefined ? defined({ id: f.release, commit: f.commit, description: f.description }) : undefined;
      if (release) requires('--release', '--commit', f.commit);
      return defined({ mode: release ? 'release' : 'snapshot', release, requestedBy });
    }
    case 'restore':
      return defined({ source: restoreSourceFromFlags(f), target: f.drill ? 'drill' : 'site', prefix: f.prefix, dryRun: f.dryRun ?? false, reason: f.reason, requestedBy });
    case 'validate':
      return defined({ endpoint: f.endpoint, criticalPaths: f.path && f.path.length > 0 ? [...f.path] : undefined, expectedIndexContains: f.expect, watchMinutes: f.watch });
    case 'drill':
      return defined({ kind: f.full ? 'full' : 'content', requestedBy });
    case 'rollback':
      return defined({ method: f.method, releaseId: f.release, commit: f.commit, dryRun: f.dryRun ?? false, reason: f.reason, requestedBy });
    case 'failover':
    case 'failback':
      return defined({ direction: command, reason: f.reason, requestedBy });
    case 'log-export':
      return defined({ from: f.from, to: f.to });
    case 'template-backup':
      return defined({ requestedBy });
  }
}

export interface BuiltInput {
  readonly runbook: RunbookName;
  readonly input: Record<string, unknown>;
}

/**
 * The execution input for `sitedr run <command>`, checked with the runbook's own schema.
 * @throws InvalidInput naming the flag (e.g. `--to`, `--reason`, `SOURCE`)
 */
export function buildRunbookInput(command: RunCommand, flags: RunFlags, env: NodeJS.ProcessEnv): BuiltInput {
  const runbook = runbookOf(command);
  const schema = RUNBOOK_INPUTS[runbook];
  const input = parseInput(schema, rawInput(command, flags, env), runbookFlagFor(runbook)) as Record<string, unknown>;
  return { runbook, input };
}
