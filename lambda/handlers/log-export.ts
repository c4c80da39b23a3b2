/**
 * Log-export runbook: compute the window (the previous 7 full days by default), start one export
 * task, or read its status. One handler, three small actions, because they share a client and a role.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import { exportTaskStatus, startLogExport } from '../aws/log-export';
import { previousWeek } from '../core/log-export-paths';
import { logExportInput } from '../shared/runbook-inputs';
import { isoInstant, parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { tracer } from '../shared/powertools';

const logs = tracer.captureAWSv3Client(new CloudWatchLogsClient({}));

const eventSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('window'), input: logExportInput }),
  z.object({ action: z.literal('start'), logGroupName: z.string().min(1), from: isoInstant, to: isoInstant, taskName: z.string().min(1).max(512) }),
  z.object({ action: z.literal('status'), taskId: z.string().min(1) }),
]);

export async function handler(event: unknown): Promise<unknown> {
  const request = parseInput(eventSchema, event);
  switch (request.action) {
    case 'window': {
      const range = request.input.from ? { from: new Date(request.input.from), to: new Date(request.input.to!) } : previousWeek(new Date());
      return { from: range.from.toISOString(), to: range.to.toISOString() };
    }
    case 'start':
      return startLogExport(logs, {
        logGroupName: request.logGroupName,
        destinationBucket: setting(SETTINGS.vaultBucket),
        from: new Date(request.from),
        to: new Date(request.to),
        taskName: request.taskName,
      });
    case 'status':
      return exportTaskStatus(logs, request.taskId);
  }
}
