import { renderIncident } from '../../lambda/core/incident';
import { buildReport, incidentFor, renderGantt, renderReportMarkdown, ReportInput, sumBatches, timelineFromEvents } from '../../lambda/core/report';

const base: ReportInput = {
  runbook: 'restore',
  environment: 'prod',
  runId: 'restore-1',
  executionArn: 'arn:aws:states:us-west-2:111111111111:execution:site-prod-restore:restore-1',
  requestedBy: 'jane@example.com',
  reason: 'pages defaced at 10:05',
  input: { source: { type: 'pointInTime', at: '2026-12-01T10:00:00.000Z' } },
  status: 'SUCCEEDED',
  startedAt: '2026-12-01T10:20:00.000Z',
  finishedAt: '2026-12-01T10:32:30.000Z',
  objectives: { rtoMinutes: 60, rpoMinutes: 15 },
  outcome: {
    plan: {
      summary: { copy: 2, hide: 1, unhide: 0, unchanged: 5, copyBytes: 300, unchangedBytes: 900 },
      diff: 'plan restore-1 ...',
      planUrl: 's3://vault/records/restore/runs/restore-1/plan.jsonl',
      undoManifestUrl: 's3://vault/records/restore/runs/restore-1/undo.jsonl',
      targetBucket: 'site',
      restorePoint: '2026-12-01T10:00:00.000Z',
    },
    executed: [
      { copied: 1, hidden: 1, unhidden: 0, skipped: 0, copiedBytes: 100, verified: 2 },
      { copied: 1, hidden: 0, unhidden: 0, skipped: 1, copiedBytes: 200, verified: 2 },
    ],
  },
  timeline: [
    { name: 'Prepare', startedAt: '2026-12-01T10:20:00.000Z', endedAt: '2026-12-01T10:20:01.000Z', status: 'succeeded' },
    { name: 'Plan: the first', startedAt: '2026-12-01T10:20:01.000Z', endedAt: '2026-12-01T10:20:01.000Z', status: 'succeeded' },
    { name: 'ValidateSite', startedAt: '2026-12-01T10:30:00.000Z', endedAt: '2026-12-01T10:32:00.000Z', status: 'failed' },
  ],
};

describe('buildReport', () => {
  test('measures RTO as the run duration and RPO as the age of the restored data, against the targets', () => {
    const r = buildReport(base);
    expect(r.durationMinutes).toBe(12.5);
    expect(r.rto).toMatchObject({ minutes: 12.5, targetMinutes: 60, met: true });
    expect(r.rpo).toMatchObject({ minutes: 20, targetMinutes: 15, met: false });
    expect(r.totals).toEqual({ copied: 2, hidden: 1, unhidden: 0, skipped: 1, copiedBytes: 300, verified: 4 });
    expect(r.undo?.command).toBe('sitedr run restore --env prod --undo s3://vault/records/restore/runs/restore-1/undo.jsonl --reason "undo restore restore-1"');
    expect(r.undo?.consoleInput).toMatchObject({ source: { type: 'undo', manifest: 's3://vault/records/restore/runs/restore-1/undo.jsonl' } });
  });

  test('a failed run has no RTO, a dry run no undo, a drill no undo', () => {
    expect(buildReport({ ...base, status: 'FAILED' }).rto).toBeUndefined();
    expect(buildReport({ ...base, input: { ...base.input, dryRun: true } }).undo).toBeUndefined();
    expect(buildReport({ ...base, runbook: 'drill' }).undo).toBeUndefined();
  });

  test('a backup measures the time since the previous snapshot', () => {
    const r = buildReport({
      ...base,
      runbook: 'backup',
      outcome: { snapshot: { id: '20261202T030000123Z-aaaaaa', previous: '20261201T030000000Z-bbbbbb', count: 7, copied: 1, reused: 6, bytes: 10, takenAt: '2026-12-02T03:00:00.123Z' } },
    });
    // Against the daily schedule (25 h with slack), not the tier RPO that replication meets.
    expect(r.rpo).toMatchObject({ minutes: 1440, targetMinutes: 1500, met: true });
    expect(r.rto).toBeUndefined();
  });

  test('sumBatches adds every count', () => {
    expect(sumBatches([])).toEqual({ copied: 0, hidden: 0, unhidden: 0, skipped: 0, copiedBytes: 0, verified: 0 });
  });
});

describe('renderReportMarkdown', () => {
  const md = renderReportMarkdown(buildReport(base));
  test('says who, why, what was measured, what changed and how to undo it', () => {
    expect(md).toMatch(/^# ✅ restore succeeded — prod/);
    expect(md).toContain('Requested by: jane@example.com — "pages defaced at 10:05"');
    expect(md).toContain('| RTO | 12.5 min | < 60 min | ✅ met |');
    expect(md).toContain('| RPO | 20 min | < 15 min | ❌ missed |');
    expect(md).toContain('2 copied (300 B), 1 hidden, 0 un-deleted, 1 already done; 4 keys verified against the plan.');
    expect(md).toContain('sitedr run restore --env prod --undo s3://vault/records/restore/runs/restore-1/undo.jsonl');
    expect(md).toContain('```mermaid\ngantt');
  });
});

describe('renderGantt', () => {
  const gantt = renderGantt(base.timeline);
  const tasks = gantt.split('\n').filter((l) => /^ {2}\S.* :/.test(l));

  test('one task line per step, with ISO start and end, end after start, failed steps marked crit', () => {
    expect(gantt.split('\n').slice(0, 5)).toEqual(['gantt', '  title Run timeline (UTC)', '  dateFormat YYYY-MM-DDTHH:mm:ss.SSSZ', '  axisFormat %H:%M:%S', '  section Steps']);
    expect(tasks).toHaveLength(3);
    for (const line of tasks) {
      const m = /^ {2}([^:#;]+) :(crit, |active, )?s\d+, (\S+), (\S+)$/.exec(line);
      expect(m).not.toBeNull();
      expect(Date.parse(m![4])).toBeGreaterThan(Date.parse(m![3]));
    }
    expect(tasks[2]).toMatch(/ValidateSite :crit, s2,/);
  });

  test("Mermaid's special characters are removed from step names", () => {
    expect(tasks[1]).toMatch(/^ {2}Plan  the first :s1, /);
  });
});

describe('timelineFromEvents', () => {
  test('pairs entered and exited events; open states are running unless they failed', () => {
    const steps = timelineFromEvents([
      { type: 'TaskStateEntered', stateName: 'Prepare', timestamp: '2026-12-01T10:00:00.000Z' },
      { type: 'TaskStateExited', stateName: 'Prepare', timestamp: '2026-12-01T10:00:01.000Z' },
      { type: 'TaskStateEntered', stateName: 'Plan', timestamp: '2026-12-01T10:00:01.000Z' },
      { type: 'TaskStateFailed', stateName: 'Plan', timestamp: '2026-12-01T10:00:02.000Z' },
      { type: 'TaskStateEntered', stateName: 'Report', timestamp: '2026-12-01T10:00:03.000Z' },
    ]);
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['Prepare', 'succeeded'],
      ['Plan', 'failed'],
      ['Report', 'running'],
    ]);
  });
});

describe('incidentFor', () => {
  const links = { report: 's3://vault/reports/restore/x.md', execution: 'https://console/x' };

  test('a failed run opens an incident in the plan template, with the undo command as the next step', () => {
    const incident = incidentFor(buildReport({ ...base, status: 'FAILED', error: { name: 'VerificationFailed', cause: '2 keys' } }), links)!;
    expect(incident).toMatchObject({ kind: 'initial', severity: 'P1', status: 'Investigating', title: 'restore runbook failed (VerificationFailed)' });
    const { subject, body } = renderIncident(incident);
    expect(subject).toBe('[prod] INCIDENT: restore runbook failed (VerificationFailed) (P1) - Investigating');
    expect(body).toMatch(/Impact: The site may be partly restored/);
    expect(body).toMatch(/Next Step: Read the report \(s3:\/\/vault\/reports\/restore\/x\.md\); undo the changes with: sitedr run restore/);
  });

  test('a successful recovery resolves it; routine runs open nothing', () => {
    expect(incidentFor(buildReport(base), links)).toMatchObject({ kind: 'resolution', status: 'Resolved', resolvedAt: base.finishedAt });
    expect(incidentFor(buildReport({ ...base, runbook: 'backup', outcome: {} }), links)).toBeUndefined();
    expect(incidentFor(buildReport({ ...base, input: { dryRun: true } }), links)).toBeUndefined();
    expect(incidentFor(buildReport({ ...base, environment: 'staging', status: 'FAILED' }), links)).toMatchObject({ severity: 'P2' });
  });
});
