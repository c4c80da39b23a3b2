/** Short human-readable renderings of plans, for the CLI and run reports. */
import type { Plan, PlanOp, PlanSummary } from './plan';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** One line: "3 to copy (1.2 MiB), 1 to hide, 0 to unhide, 120 unchanged (4.0 MiB)". */
export function renderSummary(s: PlanSummary): string {
  return (
    `${s.copy} to copy (${formatBytes(s.copyBytes)}), ${s.hide} to hide, ${s.unhide} to unhide, ` +
    `${s.unchanged} unchanged (${formatBytes(s.unchangedBytes)})`
  );
}

function shortVersion(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

export function renderOp(op: PlanOp): string {
  const key = JSON.stringify(op.key);
  switch (op.kind) {
    case 'copy': {
      const from = op.from.key === op.key ? `version ${shortVersion(op.from.versionId)}` : `s3://${op.from.bucket}/${op.from.key}`;
      const was = op.before ? '' : ' (currently absent)';
      return `~ ${key} <- ${from}, ${formatBytes(op.size)}${was}`;
    }
    case 'hide':
      return `- ${key} (hidden behind a delete marker; version ${shortVersion(op.before.versionId)} kept)`;
    case 'unhide':
      return `+ ${key} <- version ${shortVersion(op.restores)} shows again (${op.deleteMarkerIds.length} delete marker(s) removed)`;
  }
}

/** A diff-like preview: the summary line, then at most `maxLines` operations. */
export function renderPlan(plan: Plan, maxLines = 20): string {
  const scope = plan.target.prefix ? `s3://${plan.target.bucket}/${plan.target.prefix}` : `s3://${plan.target.bucket}`;
  const lines = [`plan ${plan.id} for ${scope}: ${renderSummary(plan.summary)}`];
  for (const op of plan.ops.slice(0, maxLines)) lines.push(`  ${renderOp(op)}`);
  if (plan.ops.length > maxLines) lines.push(`  … and ${plan.ops.length - maxLines} more`);
  if (plan.ops.length === 0) lines.push('  nothing to do: the target already matches');
  return lines.join('\n');
}
