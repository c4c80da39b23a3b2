/** Step Functions executions as the report task and the operator CLI read them. */
import { GetExecutionHistoryCommand, HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';

/** The whole history of an execution, oldest first (every page). */
export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The execution's page in the Step Functions console. */
export function executionConsoleUrl(executionArn: string): string {
  const region = executionArn.split(':')[3];
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
