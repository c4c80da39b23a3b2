/**
 * Infrastructure rollback, pure part: which stored template a release was deployed with, and how
 * to read CloudFormation's change-set and stack states.
 */

/**
 * The template a stack had when a release was recorded: the newest stored one at or before that
 * time. Stored keys are `templates/<stack>/<ISO time>.<ext>` (see lambda/aws/templates.ts), so
 * their names order by time.
 */
export function templateKeyAt(keys: readonly string[], stackName: string, at: string): string | undefined {
  const prefix = `templates/${stackName}/`;
  const atTime = Date.parse(at);
  let best: { key: string; time: number } | undefined;
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const time = Date.parse(key.slice(prefix.length).replace(/\.(json|yaml)$/, ''));
    if (Number.isNaN(time) || time > atTime) continue;
    if (!best || time > best.time) best = { key, time };
  }
  return best?.key;
}

/** Change-set names: letters, digits, hyphens, starting with a letter; one per run and stack. */
export function changeSetName(runId: string): string {
  return `sitedr-rollback-${runId}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128);
}

export type ChangeSetState = 'pending' | 'ready' | 'no-changes' | 'failed';

/** CloudFormation reports "no changes" as a FAILED change set; that stack is simply already there. */
export function changeSetState(status: string | undefined, reason: string | undefined): ChangeSetState {
  if (status === 'CREATE_COMPLETE') return 'ready';
  if (status === 'FAILED') return /didn't contain changes|No updates are to be performed/i.test(reason ?? '') ? 'no-changes' : 'failed';
  return 'pending';
}

export type StackUpdateState = 'in-progress' | 'done' | 'failed';

export function stackUpdateState(status: string | undefined): StackUpdateState {
  if (status === 'UPDATE_COMPLETE' || status === 'CREATE_COMPLETE') return 'done';
  if (!status || /_IN_PROGRESS$/.test(status)) return /ROLLBACK/.test(status ?? '') ? 'failed' : 'in-progress';
  return 'failed';
}
