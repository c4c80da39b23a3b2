import { IncidentMessage, ROOT_CAUSE_PLACEHOLDER, SUBJECT_MAX_LENGTH, formatDuration, renderIncident } from '../../lambda/core/incident';
import { InvalidInput } from '../../lambda/shared/errors';

const common = {
  title: 'Website Outage',
  severity: 'P1' as const,
  environment: 'prod',
  impact: 'Complete service unavailable',
  startedAt: '2025-10-07T14:23:00Z',
};

test('the initial alert follows the plan template, with channel and update cadence', () => {
  const { subject, body } = renderIncident({ ...common, kind: 'initial', status: 'Investigating', nextStep: 'Failing over to the standby distribution' });
  expect(subject).toBe('[prod] INCIDENT: Website Outage (P1) - Investigating');
  expect(body).toBe(
    [
      '\u{1F6A8} INCIDENT: Website Outage (P1)',
      'Environment: prod',
      'Status: Investigating',
      'Impact: Complete service unavailable',
      'Started: 2025-10-07 14:23 UTC',
      'ETA: Under investigation',
      'Next Step: Failing over to the standby distribution',
      'Updates: Every 15 minutes',
      'Channel: #incident-20251007',
      '',
    ].join('\n'),
  );
});

test('an update carries progress, ETA and the next update time derived from when it is sent', () => {
  const { subject, body } = renderIncident({
    ...common,
    kind: 'update',
    status: 'Recovering',
    progress: 'Infrastructure recreated, restoring content',
    impact: 'Still unavailable',
    eta: '30 minutes',
    nextStep: 'Validate the site',
    at: '2025-10-07T15:00:00Z',
    link: 'https://console.aws.amazon.com/states/home#/executions/details/arn',
  });
  expect(subject).toBe('[prod] UPDATE: Website Outage (P1) - Recovering');
  expect(body.split('\n')).toEqual([
    '\u{1F4CA} UPDATE: Website Outage (P1)',
    'Environment: prod',
    'Status: Recovering',
    'Progress: Infrastructure recreated, restoring content',
    'Impact: Still unavailable',
    'Started: 2025-10-07 14:23 UTC',
    'ETA: 30 minutes',
    'Next Step: Validate the site',
    'Next Update: 15:15 UTC',
    'Details: https://console.aws.amazon.com/states/home#/executions/details/arn',
    '',
  ]);
});

test('an explicit next update time wins; without one or a send time the line is left out', () => {
  const base = { ...common, kind: 'update' as const, status: 'Recovering', progress: 'p', nextStep: 'n' };
  expect(renderIncident({ ...base, at: '2025-10-07T15:00:00Z', nextUpdateAt: '2025-10-07T15:40:00Z' }).body).toContain('Next Update: 15:40 UTC\n');
  expect(renderIncident(base).body).not.toContain('Next Update');
});

test('a resolution states duration and root cause, with a placeholder when the cause is not known yet', () => {
  const msg: IncidentMessage = { ...common, kind: 'resolution', status: 'Service restored', impact: 'None now', resolvedAt: '2025-10-07T15:10:00Z', nextStep: 'Post-mortem scheduled for tomorrow 10am' };
  const { subject, body } = renderIncident(msg);
  expect(subject).toBe('[prod] RESOLVED: Website Outage (P1) - Service restored');
  expect(body.split('\n')).toEqual([
    '\u2705 RESOLVED: Website Outage (P1)',
    'Environment: prod',
    'Status: Service restored',
    'Impact: None now',
    'Started: 2025-10-07 14:23 UTC',
    'Resolved: 2025-10-07 15:10 UTC',
    'Duration: 47 minutes',
    `Root Cause: ${ROOT_CAUSE_PLACEHOLDER}`,
    'Next Steps: Post-mortem scheduled for tomorrow 10am',
    'Thank you for your patience.',
    '',
  ]);
  expect(renderIncident({ ...msg, rootCause: 'A bad deploy replaced index.html' }).body).toContain('Root Cause: A bad deploy replaced index.html\n');
});

test('the subject is one ASCII line of at most 100 characters', () => {
  const { subject } = renderIncident({
    ...common,
    kind: 'initial',
    title: `Caf\u00e9 \u{1F525} site down\nagain ${'x'.repeat(200)}`,
    status: 'Investigating',
    nextStep: 'n',
  });
  expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
  expect(subject.startsWith('[prod] INCIDENT: Cafe site down again xxx')).toBe(true);
  expect(subject.endsWith('...')).toBe(true);
});

test('multi-line values stay under their label', () => {
  const { body } = renderIncident({ ...common, kind: 'initial', status: 'Investigating', impact: 'line one\nline two', nextStep: 'n' });
  expect(body).toContain('Impact: line one\n  line two\n');
});

test('durations read naturally', () => {
  expect(formatDuration(20_000)).toBe('less than a minute');
  expect(formatDuration(60_000)).toBe('1 minute');
  expect(formatDuration(47 * 60_000)).toBe('47 minutes');
  expect(formatDuration(60 * 60_000)).toBe('1 hour');
  expect(formatDuration(125 * 60_000)).toBe('2 hours 5 minutes');
});

test('bad input names the field', () => {
  const ok = { ...common, kind: 'initial' as const, status: 's', nextStep: 'n' };
  const field = (m: unknown) => {
    try {
      renderIncident(m as IncidentMessage);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInput);
      return (err as InvalidInput).field;
    }
    return 'no error';
  };
  expect(field({ ...ok, kind: 'closing' })).toBe('kind');
  expect(field({ ...ok, severity: 'P0' })).toBe('severity');
  expect(field({ ...ok, title: ' ' })).toBe('title');
  expect(field({ ...ok, startedAt: 'yesterday' })).toBe('startedAt');
  expect(field({ ...ok, updateEveryMinutes: 0 })).toBe('updateEveryMinutes');
  expect(field({ ...ok, kind: 'update' })).toBe('progress');
  expect(field({ ...ok, kind: 'resolution', resolvedAt: '2025-10-07T14:00:00Z' })).toBe('resolvedAt');
});
