/**
 * Last task of every runbook, on success and on failure: measure the run against the tier's
 * objectives, write the JSON and Markdown report to the vault, publish the metrics the
 * dashboard and alarms use, and hand the notification text to the Notify state.
 */
import { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { executionConsoleUrl, executionHistory } from '../aws/executions';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { putText } from '../aws/records';
import { renderIncident } from '../core/incident';
import { buildReport, incidentFor, renderReportMarkdown, RunOutcome, timelineFromEvents, TimelineStep } from '../core/report';
import { METRICS, metricDimensions } from '../shared/metric-names';
import { logger, metrics, tracer } from '../shared/powertools';
import { runSchema } from '../shared/run';
import { parseInput } from '../shared/schemas';
import { SETTINGS, numberSetting, setting } from '../shared/settings';

const s3 = tracer.captureAWSv3Client(createS3Client());
const sfn = tracer.captureAWSv3Client(new SFNClient({}));

const eventSchema = z.object({
  run: runSchema,
  status: z.enum(['SUCCEEDED', 'FAILED']),
  outcome: z.record(z.string(), z.unknown()).default({}),
  /** The Catch result: `{ Error, Cause }`. */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  /** Steps already known (the local runner passes its event log); otherwise read from the execution history. */
  timeline: z.array(z.object({ name: z.string(), startedAt: z.string(), endedAt: z.string(), status: z.enum(['succeeded', 'failed', 'running']) })).optional(),
});

export interface ReportResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly reportUrl: string;
  readonly markdownUrl: string;
  readonly rtoMinutes?: number;
  readonly rpoMinutes?: number;
  readonly notification: { readonly subject: string; readonly message: string };
}

export async function handler(event: unknown): Promise<ReportResult> {
  const { run, status, outcome, error, timeline } = parseInput(eventSchema, event);
  const finishedAt = new Date();
  const report = buildReport({
    runbook: run.runbook,
    environment: run.environment,
    runId: run.runId,
    executionArn: run.executionArn,
    requestedBy: run.requestedBy,
    reason: run.reason,
    input: run.input,
    status,
    startedAt: run.startedAt,
    finishedAt: finishedAt.toISOString(),
    objectives: { rtoMinutes: numberSetting(SETTINGS.rtoMinutes), rpoMinutes: numberSetting(SETTINGS.rpoMinutes) },
    outcome: outcome as RunOutcome,
    ...(error ? { error: { name: error.Error, cause: error.Cause ?? '' } } : {}),
    timeline: timeline ?? (await executionTimeline(run.executionArn)),
  });
  const vault = setting(SETTINGS.vaultBucket);
  const base = `reports/${run.runbook}/${run.startedAt.slice(0, 10)}-${run.runId}`;
  const markdown = renderReportMarkdown(report);
  await putText(s3, { bucket: vault, key: `${base}.json` }, JSON.stringify(report, null, 2), 'application/json');
  await putText(s3, { bucket: vault, key: `${base}.md` }, markdown, 'text/markdown; charset=utf-8');

  // Exactly the dimensions the dashboard and alarms name (no Powertools `service` dimension).
  metrics.clearDefaultDimensions();
  metrics.addDimensions(metricDimensions(run.environment, run.runbook));
  metrics.addMetric(status === 'SUCCEEDED' ? METRICS.runbookSucceeded : METRICS.runbookFailed, MetricUnit.Count, 1);
  // CloudWatch has no minutes unit: the metric names say minutes, the unit stays None.
  if (report.rto) metrics.addMetric(METRICS.recoveryTimeMinutes, MetricUnit.NoUnit, report.rto.minutes);
  if (report.rpo) metrics.addMetric(METRICS.recoveryPointMinutes, MetricUnit.NoUnit, report.rpo.minutes);
  metrics.publishStoredMetrics();

  const reportUrl = `s3://${vault}/${base}.json`;
  logger.info('report written', { reportUrl, status, rto: report.rto, rpo: report.rpo });
  const markdownUrl = `s3://${vault}/${base}.md`;
  const incident = incidentFor(report, { report: markdownUrl, execution: executionConsoleUrl(run.executionArn) });
  const rendered = incident ? renderIncident(incident) : undefined;
  const subject = rendered?.subject ?? `[${run.environment}] ${run.runbook} ${status === 'SUCCEEDED' ? 'succeeded' : 'FAILED'}`.slice(0, 100);
  return {
    status,
    reportUrl,
    markdownUrl,
    ...(report.rto ? { rtoMinutes: report.rto.minutes } : {}),
    ...(report.rpo ? { rpoMinutes: report.rpo.minutes } : {}),
    notification: { subject, message: `${rendered ? `${rendered.body}\n` : ''}${markdown}\nReport: ${reportUrl}\n` },
  };
}


/** The run's steps from its execution history; empty when the history cannot be read (a local run). */
async function executionTimeline(executionArn: string): Promise<TimelineStep[]> {
  let events: HistoryEvent[];
  try {
    events = await executionHistory(sfn, executionArn);
  } catch (err) {
    logger.warn('no execution history for the timeline', { executionArn, error: (err as Error).name });
    return [];
  }
  return timelineFromEvents(
    events.map((e) => ({
      type: e.type ?? '',
      timestamp: (e.timestamp ?? new Date()).toISOString(),
      stateName: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name,
    })),
  );
}
