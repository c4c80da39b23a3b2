/**
 * The Powertools instances every handler shares (one per Lambda container), configured from the
 * POWERTOOLS_* variables the RunbookFunction construct sets.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRIC_NAMESPACE } from './metric-names';

export const logger = new Logger();
export const metrics = new Metrics({ namespace: METRIC_NAMESPACE });
// Off outside Lambda (tests, CLI, demo): there is no X-Ray daemon to send segments to.
export const tracer = new Tracer({ enabled: process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined });
