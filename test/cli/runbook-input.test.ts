/** `sitedr run` input building: every command's input, checked by the runbook's own schema, and every bad flag named. */
import { buildRunbookInput, RunCommand, RunFlags } from '../../cli/runbook-input';
import { InvalidInput } from '../../lambda/shared/errors';
import { RUNBOOK_INPUTS } from '../../lambda/shared/runbook-inputs';

const env = { USER: 'alice' };
const reason = 'the index page was corrupted by a bad deploy';

function build(command: RunCommand, flags: RunFlags, e: NodeJS.ProcessEnv = env) {
  return buildRunbookInput(command, flags, e);
}

function badFlag(command: RunCommand, flags: RunFlags): { field: string; message: string } {
  try {
    build(command, flags);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput);
    return { field: (err as InvalidInput).field, message: (err as Error).message };
  }
  throw new Error(`expected ${command} ${JSON.stringify(flags)} to be rejected`);
}

describe('inputs built from flags', () => {
  test.each<[RunCommand, RunFlags, string, Record<string, unknown>]>([
    ['backup', {}, 'backup', { mode: 'snapshot', requestedBy: 'alice' }],
    ['backup', { release: 'v42', commit: 'abc1234', description: 'new pricing page' }, 'backup', { mode: 'release', release: { id: 'v42', commit: 'abc1234', description: 'new pricing page' }, requestedBy: 'alice' }],
    ['restore', { to: '2026-12-01T10:00:00Z', reason }, 'restore', { source: { type: 'pointInTime', at: '2026-12-01T10:00:00Z', allowEmpty: false }, target: 'site', prefix: '', dryRun: false, reason, requestedBy: 'alice' }],
    ['restore', { to: '2026-12-01T10:00:00Z', allowEmpty: true, reason }, 'restore', { source: { type: 'pointInTime', at: '2026-12-01T10:00:00Z', allowEmpty: true } }],
    ['restore', { snapshot: true, reason }, 'restore', { source: { type: 'snapshot' } }],
    ['restore', { snapshot: '20261201T100000123Z-a1b2c3', reason }, 'restore', { source: { type: 'snapshot', snapshotId: '20261201T100000123Z-a1b2c3' } }],
    ['restore', { replica: true, reason, prefix: 'blog/', dryRun: true, drill: true }, 'restore', { source: { type: 'replica' }, prefix: 'blog/', dryRun: true, target: 'drill' }],
    ['restore', { release: '2026-12-01.1', reason }, 'restore', { source: { type: 'release', releaseId: '2026-12-01.1' } }],
    ['restore', { key: 'index.html', versionId: 'v1', reason }, 'restore', { source: { type: 'version', key: 'index.html', versionId: 'v1' } }],
    ['restore', { undelete: true, since: '2026-12-01T10:00:00+01:00', reason }, 'restore', { source: { type: 'undelete', since: '2026-12-01T10:00:00+01:00' } }],
    ['restore', { undo: 's3://vault/records/restore/runs/r1/undo.jsonl', reason, requestedBy: 'bob' }, 'restore', { source: { type: 'undo', manifest: 's3://vault/records/restore/runs/r1/undo.jsonl' }, requestedBy: 'bob' }],
    ['validate', {}, 'validate', { endpoint: 'site', watchMinutes: 0 }],
    ['validate', { path: ['/', '/about/'], expect: 'v42', watch: 5, endpoint: 'standby' }, 'validate', { endpoint: 'standby', criticalPaths: ['/', '/about/'], expectedIndexContains: 'v42', watchMinutes: 5 }],
    ['drill', {}, 'drill', { kind: 'content', requestedBy: 'alice' }],
    ['drill', { full: true }, 'drill', { kind: 'full' }],
    ['rollback', { method: 'last_known_good', reason }, 'rollback', { method: 'last_known_good', dryRun: false, reason, requestedBy: 'alice' }],
    ['rollback', { method: 'release', release: 'v41', reason, dryRun: true }, 'rollback', { method: 'release', releaseId: 'v41', dryRun: true }],
    ['rollback', { method: 'content_only', commit: 'abcdef1', reason }, 'rollback', { method: 'content_only', commit: 'abcdef1' }],
    ['failover', { reason }, 'failover', { direction: 'failover', reason, requestedBy: 'alice' }],
    ['failback', { reason }, 'failover', { direction: 'failback', reason, requestedBy: 'alice' }],
    ['log-export', {}, 'log-export', {}],
    ['log-export', { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' }, 'log-export', { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' }],
    ['template-backup', {}, 'template-backup', { requestedBy: 'alice' }],
  ])('%s %j', (command, flags, runbook, expected) => {
    const built = build(command, flags);
    expect(built.runbook).toBe(runbook);
    expect(built.input).toMatchObject(expected);
    // What is sent is exactly what the runbook's Prepare task accepts (its own schema, strict).
    expect(RUNBOOK_INPUTS[built.runbook].parse(built.input)).toEqual(built.input);
  });

  test('who asks: --requested-by, else $SITEDR_USER, else $USER', () => {
    expect(build('drill', { requestedBy: 'carol' }, { SITEDR_USER: 'sam', USER: 'alice' }).input.requestedBy).toBe('carol');
    expect(build('drill', {}, { SITEDR_USER: 'sam', USER: 'alice' }).input.requestedBy).toBe('sam');
    expect(build('drill', {}, { USER: 'alice' }).input.requestedBy).toBe('alice');
    // Nobody to name: the schema's own default for scheduled runbooks...
    expect(build('drill', {}, {}).input.requestedBy).toBe('schedule');
    // ...but a restore must say who asked.
    expect(() => build('restore', { replica: true, reason }, {})).toThrow(/--requested-by/);
  });
});

describe('bad flags are rejected naming the flag', () => {
  test.each<[string, RunCommand, RunFlags, string, RegExp | null]>([
    ['no source', 'restore', { reason }, 'SOURCE', /no source given/],
    ['two sources', 'restore', { to: '2026-12-01T10:00:00Z', replica: true, reason }, 'SOURCE', /--to, --replica/],
    ['time without a zone', 'restore', { to: '2026-12-01T10:00:00', reason }, '--to', /ISO-8601 time with a zone/],
    ['not a time', 'restore', { to: 'yesterday', reason }, '--to', null],
    ['--allow-empty without --to', 'restore', { replica: true, allowEmpty: true, reason }, '--allow-empty', null],
    ['bad snapshot id', 'restore', { snapshot: 'latest', reason }, '--snapshot', /snapshot id like/],
    ['bad release id', 'restore', { release: '../etc', reason }, '--release', null],
    ['--key without --version-id', 'restore', { key: 'index.html', reason }, '--version-id', null],
    ['--version-id without --key', 'restore', { replica: true, versionId: 'v1', reason }, '--version-id', null],
    ['--undelete without --since', 'restore', { undelete: true, reason }, '--since', null],
    ['--since without --undelete', 'restore', { replica: true, since: '2026-12-01T10:00:00Z', reason }, '--since', null],
    ['--undo not an s3 URL', 'restore', { undo: 'undo.jsonl', reason }, '--undo', /s3:\/\/bucket\/key/],
    ['no reason', 'restore', { replica: true }, '--reason', null],
    ['short reason', 'restore', { replica: true, reason: 'oops' }, '--reason', /at least 10 characters/],
    ['empty requester', 'restore', { replica: true, reason, requestedBy: ' ' }, '--requested-by', null],
    ['--commit without --release', 'backup', { commit: 'abc1234' }, '--commit', null],
    ['--release without --commit', 'backup', { release: 'v42' }, '--commit', null],
    ['bad commit', 'backup', { release: 'v42', commit: 'HEAD' }, '--commit', /git commit id/],
    ['relative path', 'validate', { path: ['about'] }, '--path', /absolute paths/],
    ['unknown endpoint', 'validate', { endpoint: 'origin' }, '--endpoint', null],
    ['watch too long', 'validate', { watch: 500 }, '--watch', null],
    ['empty --expect', 'validate', { expect: '' }, '--expect', null],
    ['no method', 'rollback', { reason }, '--method', null],
    ['unknown method', 'rollback', { method: 'yesterday', reason }, '--method', null],
    ['release method without a release', 'rollback', { method: 'release', reason }, '--release', null],
    ['failback without a reason', 'failback', {}, '--reason', null],
    ['--from without --to', 'log-export', { from: '2026-11-01T00:00:00Z' }, '--to', /both from and to/],
    ['--to before --from', 'log-export', { from: '2026-11-08T00:00:00Z', to: '2026-11-01T00:00:00Z' }, '--to', /after from/],
  ])('%s', (_label, command, flags, field, message) => {
    const err = badFlag(command, flags);
    expect(err.field).toBe(field);
    if (message) expect(err.message).toMatch(message);
  });
});
