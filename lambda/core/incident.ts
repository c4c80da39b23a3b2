/**
 * Incident messages, rendered from the DR plan's communication templates (initial alert, update,
 * resolution). Pure: the notify adapter publishes what this returns.
 *
 * Every message states status, impact, start time and the next step; a resolution adds the
 * duration and the root cause (a placeholder to fill in at the post-mortem when not yet known).
 */
import { InvalidInput } from '../shared/errors';

export type IncidentSeverity = 'P1' | 'P2' | 'P3' | 'P4';
export type IncidentKind = 'initial' | 'update' | 'resolution';

/** Times arrive from Step Functions as ISO strings; both forms are accepted. */
export type Instant = Date | string;

interface IncidentCommon {
  /** What is happening, e.g. "Website Outage". */
  readonly title: string;
  readonly severity: IncidentSeverity;
  /** prod / staging / dev. */
  readonly environment: string;
  /** e.g. "Investigating", "Recovering", "Service restored". */
  readonly status: string;
  /** e.g. "Complete service unavailable". */
  readonly impact: string;
  readonly startedAt: Instant;
  /** What happens next, e.g. "Restoring content from the replica". */
  readonly nextStep: string;
  /** Where to follow the run (the Step Functions execution in the console). @default none */
  readonly link?: string;
}

export interface InitialIncident extends IncidentCommon {
  readonly kind: 'initial';
  /** @default 'Under investigation' */
  readonly eta?: string;
  /** @default 15 (the plan's P1 cadence) */
  readonly updateEveryMinutes?: number;
  /** @default `#incident-YYYYMMDD` of the start date, as the plan names incident channels */
  readonly channel?: string;
}

export interface IncidentUpdate extends IncidentCommon {
  readonly kind: 'update';
  /** What has been done so far, e.g. "Infrastructure recreated, restoring content". */
  readonly progress: string;
  /** @default 'Under investigation' */
  readonly eta?: string;
  /** @default `at` + updateEveryMinutes when `at` is given, else the line is left out */
  readonly nextUpdateAt?: Instant;
  /** When this update is sent. @default none */
  readonly at?: Instant;
  /** @default 15 */
  readonly updateEveryMinutes?: number;
}

export interface IncidentResolution extends IncidentCommon {
  readonly kind: 'resolution';
  readonly resolvedAt: Instant;
  /** @default ROOT_CAUSE_PLACEHOLDER */
  readonly rootCause?: string;
}

export type IncidentMessage = InitialIncident | IncidentUpdate | IncidentResolution;

export interface RenderedIncident {
  /** Plain ASCII, one line, at most SUBJECT_MAX_LENGTH characters (SNS and e-mail subject limits). */
  readonly subject: string;
  /** Plain text, one `Label: value` per line, as in the plan's templates. */
  readonly body: string;
}

export const SUBJECT_MAX_LENGTH = 100;
export const ROOT_CAUSE_PLACEHOLDER = '[Brief description - to be completed at the post-mortem]';
const DEFAULT_ETA = 'Under investigation';
const DEFAULT_UPDATE_EVERY_MINUTES = 15;
/** Free text is clipped so a runaway error message cannot push the SNS message past 256 KB. */
const FIELD_MAX_LENGTH = 4000;

/** The first line of each message kind, as in the DR plan's templates. */
export const HEADINGS: Record<IncidentKind, { icon: string; word: string }> = {
  initial: { icon: '\u{1F6A8}', word: 'INCIDENT' },
  update: { icon: '\u{1F4CA}', word: 'UPDATE' },
  resolution: { icon: '\u2705', word: 'RESOLVED' },
};

const SEVERITIES: readonly string[] = ['P1', 'P2', 'P3', 'P4'];

export function renderIncident(message: IncidentMessage): RenderedIncident {
  const kind = message?.kind;
  if (kind !== 'initial' && kind !== 'update' && kind !== 'resolution') {
    throw new InvalidInput('kind', "'initial', 'update' or 'resolution'", `kind must be 'initial', 'update' or 'resolution', got ${JSON.stringify(kind)}`);
  }
  const title = text(message.title, 'title');
  const environment = text(message.environment, 'environment');
  if (!SEVERITIES.includes(message.severity)) throw new InvalidInput('severity', 'P1, P2, P3 or P4', `severity must be P1, P2, P3 or P4, got ${JSON.stringify(message.severity)}`);
  const status = text(message.status, 'status');
  const startedAt = instant(message.startedAt, 'startedAt');
  const heading = HEADINGS[kind];

  const lines: Array<[string, string] | string> = [`${heading.icon} ${heading.word}: ${title} (${message.severity})`];
  lines.push(['Environment', environment], ['Status', status]);

  switch (message.kind) {
    case 'initial': {
      const every = minutes(message.updateEveryMinutes, 'updateEveryMinutes');
      lines.push(
        ['Impact', text(message.impact, 'impact')],
        ['Started', utc(startedAt)],
        ['ETA', optionalText(message.eta, 'eta') ?? DEFAULT_ETA],
        ['Next Step', text(message.nextStep, 'nextStep')],
        ['Updates', `Every ${every} minutes`],
        ['Channel', optionalText(message.channel, 'channel') ?? `#incident-${compactDate(startedAt)}`],
      );
      break;
    }
    case 'update': {
      const every = minutes(message.updateEveryMinutes, 'updateEveryMinutes');
      const at = message.at === undefined ? undefined : instant(message.at, 'at');
      const nextUpdate = message.nextUpdateAt !== undefined ? instant(message.nextUpdateAt, 'nextUpdateAt') : at && new Date(at.getTime() + every * 60_000);
      lines.push(
        ['Progress', text(message.progress, 'progress')],
        ['Impact', text(message.impact, 'impact')],
        ['Started', utc(startedAt)],
        ['ETA', optionalText(message.eta, 'eta') ?? DEFAULT_ETA],
        ['Next Step', text(message.nextStep, 'nextStep')],
      );
      if (nextUpdate) lines.push(['Next Update', `${hhmm(nextUpdate)} UTC`]);
      break;
    }
    case 'resolution': {
      const resolvedAt = instant(message.resolvedAt, 'resolvedAt');
      if (resolvedAt.getTime() < startedAt.getTime()) throw new InvalidInput('resolvedAt', 'a time at or after startedAt', `resolvedAt (${resolvedAt.toISOString()}) is before startedAt (${startedAt.toISOString()})`);
      lines.push(
        ['Impact', text(message.impact, 'impact')],
        ['Started', utc(startedAt)],
        ['Resolved', utc(resolvedAt)],
        ['Duration', formatDuration(resolvedAt.getTime() - startedAt.getTime())],
        ['Root Cause', optionalText(message.rootCause, 'rootCause') ?? ROOT_CAUSE_PLACEHOLDER],
        ['Next Steps', text(message.nextStep, 'nextStep')],
      );
      break;
    }
  }
  const link = optionalText(message.link, 'link');
  if (link) lines.push(['Details', link]);
  if (kind === 'resolution') lines.push('Thank you for your patience.');

  const body = lines.map((l) => (typeof l === 'string' ? l : `${l[0]}: ${indentContinuation(l[1])}`)).join('\n') + '\n';
  return { subject: subjectFor(kind, environment, title, message.severity, status), body };
}

/** `[prod] INCIDENT: Website Outage (P1) - Investigating`, made ASCII and clipped to 100 characters. */
export function subjectFor(kind: IncidentKind, environment: string, title: string, severity: string, status: string): string {
  const full = asciiLine(`[${environment}] ${HEADINGS[kind].word}: ${title} (${severity}) - ${status}`);
  return full.length <= SUBJECT_MAX_LENGTH ? full : `${full.slice(0, SUBJECT_MAX_LENGTH - 3).trimEnd()}...`;
}

/**
 * SNS subjects must be one line without control characters, and mail clients mangle anything
 * beyond ASCII in a subject; the body keeps the plan's emoji.
 */
function asciiLine(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `47 minutes`, `1 hour 5 minutes`, `less than a minute`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 60_000);
  if (total < 1) return 'less than a minute';
  const h = Math.floor(total / 60);
  const m = total % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (h === 0) return part(m, 'minute');
  return m === 0 ? part(h, 'hour') : `${part(h, 'hour')} ${part(m, 'minute')}`;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInput(field, 'non-empty text', `${field} must be non-empty text, got ${JSON.stringify(value)}`);
  const t = value.trim();
  return t.length > FIELD_MAX_LENGTH ? `${t.slice(0, FIELD_MAX_LENGTH)} [...]` : t;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : text(value, field);
}

function instant(value: Instant, field: string): Date {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new InvalidInput(field, 'an ISO 8601 time', `${field} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return d;
}

function minutes(value: number | undefined, field: string): number {
  if (value === undefined) return DEFAULT_UPDATE_EVERY_MINUTES;
  if (!Number.isInteger(value) || value < 1) throw new InvalidInput(field, 'a whole number of minutes, at least 1', `${field} must be a whole number of minutes, got ${String(value)}`);
  return value;
}

/** `2025-10-07 14:23 UTC`, the plan's time format. */
function utc(d: Date): string {
  return `${d.toISOString().slice(0, 10)} ${hhmm(d)} UTC`;
}

function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}

function compactDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

/** Keeps a multi-line value readable under its label. */
function indentContinuation(value: string): string {
  return value.replace(/\r?\n/g, '\n  ');
}
