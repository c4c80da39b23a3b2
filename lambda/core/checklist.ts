/**
 * The site validation checklist: its shape, its one-line-per-item rendering, and the pure pieces
 * of the checks (link extraction, header comparison, certificate expiry math). The HTTP, TLS and
 * DNS side lives in lambda/aws/site-validator.ts; everything here is testable without a network.
 */
import { SECURITY_HEADERS } from '../shared/site-contract';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id to match on in reports and tests: `status:/`, `links`, `header:x-frame-options`, ... */
  id: string;
  /** Human-readable name of the check. */
  name: string;
  /** `skip` means the check did not apply (no callback, plain http, ...), never that it passed. */
  status: CheckStatus;
  /** What was observed; for a failure, what was expected and what was found. */
  detail: string;
  durationMs?: number;
}

export interface Checklist {
  /** The site's base URL as validated. */
  url: string;
  /** ISO-8601 time the validation started. */
  checkedAt: string;
  /** True when no item failed (skipped items do not fail a checklist). */
  passed: boolean;
  results: CheckResult[];
}

export interface ChecklistSummary {
  pass: number;
  fail: number;
  skip: number;
  /** Ids of the failed items, in checklist order. */
  failed: string[];
}

export function buildChecklist(url: string, checkedAt: Date, results: CheckResult[]): Checklist {
  return { url, checkedAt: checkedAt.toISOString(), passed: results.every((r) => r.status !== 'fail'), results };
}

export function summarizeChecklist(c: Checklist): ChecklistSummary {
  const summary: ChecklistSummary = { pass: 0, fail: 0, skip: 0, failed: [] };
  for (const r of c.results) {
    summary[r.status]++;
    if (r.status === 'fail') summary.failed.push(r.id);
  }
  return summary;
}

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

/** A heading line, then one line per item: "✓ status:/ — 200 in 12 ms". */
export function renderChecklist(c: Checklist): string {
  const s = summarizeChecklist(c);
  const verdict = c.passed ? 'PASSED' : 'FAILED';
  const lines = [`${verdict} ${c.url} at ${c.checkedAt}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped`];
  for (const r of c.results) lines.push(`${MARKS[r.status]} ${r.id} — ${r.detail}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Links

/** Tags whose URL attributes name a page or asset the browser loads (or the user follows). */
const LINK_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href'],
  link: ['href'],
  script: ['src'],
  img: ['src', 'srcset'],
  // <picture><source srcset> carries the responsive variants of an <img>.
  source: ['src', 'srcset'],
};

/** Schemes that never name something our site serves; excluded by name so intent is explicit. */
const IGNORED_SCHEMES = /^\s*(mailto|tel|javascript|data|blob|about):/i;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Attribute values are HTML-escaped: `?a=1&amp;b=2` is the URL `?a=1&b=2`. */
export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Parses one tag's attribute text into lowercase name -> raw value (first occurrence wins, as in browsers). */
function parseAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeHtmlEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

/**
 * The URLs in a srcset: candidates are separated by commas and each is "URL [descriptor]".
 * A URL may itself contain commas (it ends at whitespace), so this follows the HTML parsing
 * rules instead of splitting on ",".
 */
export function parseSrcset(srcset: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i])) i++;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset[i])) i++;
    let url = srcset.slice(start, i);
    if (!url) break;
    if (url.endsWith(',')) {
      // "a.png," — a candidate with no descriptor; the comma ends it.
      url = url.replace(/,+$/, '');
    } else {
      // Skip the descriptor ("2x", "300w"), up to the comma that ends this candidate.
      let depth = 0;
      while (i < srcset.length && (depth > 0 || srcset[i] !== ',')) {
        if (srcset[i] === '(') depth++;
        else if (srcset[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
    }
    if (url) urls.push(url);
  }
  return urls;
}

/** Resolves `ref` against `base` when it names a same-origin http(s) resource; the fragment is dropped. */
export function resolveSameOrigin(ref: string, base: URL): URL | undefined {
  const trimmed = ref.trim();
  if (!trimmed || trimmed.startsWith('#') || IGNORED_SCHEMES.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  url.hash = '';
  return url;
}

/**
 * Same-origin URLs of the pages and assets an HTML document links to, absolute, without
 * fragments, deduplicated, in document order. `pageUrl` is the document's own URL (after
 * redirects); a `<base href>` in the document takes over as the base for relative references,
 * as it does in a browser, but the origin that counts as "ours" stays the page's.
 */
export function extractSameOriginLinks(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  // Commented-out markup is not loaded by the browser, and markup-like text inside inline
  // scripts and styles is not markup: neither may fail a link check. The opening tags stay.
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<(script|style)\b[^>]*>)[\s\S]*?<\/\2\s*>/gi, '$1');
  let base = page;
  const baseTag = /<base\b([^>]*)>/i.exec(text);
  const baseHref = baseTag ? parseAttributes(baseTag[1]).get('href') : undefined;
  if (baseHref) {
    try {
      base = new URL(baseHref, page);
    } catch {
      // An unparsable <base> is ignored by browsers too.
    }
  }
  const seen = new Set<string>();
  const links: string[] = [];
  const tagRe = /<([a-z]+)\b([^>]*)>/gi;
  for (let m = tagRe.exec(text); m; m = tagRe.exec(text)) {
    const wanted = LINK_ATTRIBUTES[m[1].toLowerCase()];
    if (!wanted) continue;
    const attrs = parseAttributes(m[2]);
    for (const name of wanted) {
      const value = attrs.get(name);
      if (value === undefined) continue;
      for (const ref of name === 'srcset' ? parseSrcset(value) : [value]) {
        const url = resolveSameOrigin(ref, base);
        if (!url || url.origin !== page.origin) continue;
        const href = url.href;
        if (!seen.has(href)) {
          seen.add(href);
          links.push(href);
        }
      }
    }
  }
  return links;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Response headers as Node exposes them (`IncomingMessage.headers`) or any plain record. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HeaderComparison {
  /** Lowercase header name. */
  name: string;
  expected: string;
  /** The received value (repeated headers joined with ", "), or undefined when absent. */
  actual: string | undefined;
  ok: boolean;
}

/**
 * Compares response headers with the expected values, exactly (after trimming the optional
 * whitespace HTTP allows around a value); header names match case-insensitively.
 */
export function compareHeaders(
  actual: HeaderValues,
  expected: Readonly<Record<string, string>> = SECURITY_HEADERS,
): HeaderComparison[] {
  const received = new Map<string, string>();
  for (const [name, value] of Object.entries(actual)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(', ');
    const key = name.toLowerCase();
    const prior = received.get(key);
    received.set(key, prior === undefined ? text : `${prior}, ${text}`);
  }
  return Object.entries(expected).map(([rawName, want]) => {
    const name = rawName.toLowerCase();
    const got = received.get(name)?.trim();
    return { name, expected: want, actual: got, ok: got === want.trim() };
  });
}

// ---------------------------------------------------------------------------------------------
// Certificates

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAssessment {
  ok: boolean;
  /** Whole days until expiry, rounded down (negative once expired). */
  daysLeft: number;
  expiresAt: Date;
  detail: string;
}

/** Whole days from `now` until `expiry`, rounded down: 4.9 days left is 4, so the margin is never overstated. */
export function daysUntil(expiry: Date, now: Date): number {
  return Math.floor((expiry.getTime() - now.getTime()) / DAY_MS);
}

/**
 * Parses a certificate date as Node reports it (`valid_to`: "Mar  5 12:00:00 2027 GMT") or ISO;
 * throws a RangeError for anything else so a parse failure is never mistaken for a date.
 */
export function parseCertificateDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new RangeError(`unparsable certificate date ${JSON.stringify(text)}`);
  return date;
}

/**
 * Is the certificate inside its validity period and at least `minDays` whole days from expiry?
 * Trust and host name are judged by TLS itself; this is only the calendar.
 */
export function assessCertificateValidity(
  validity: { validFrom: Date; validTo: Date },
  now: Date,
  minDays: number,
): CertificateAssessment {
  const { validFrom, validTo } = validity;
  const daysLeft = daysUntil(validTo, now);
  const until = validTo.toISOString();
  if (now.getTime() < validFrom.getTime()) {
    return { ok: false, daysLeft, expiresAt: validTo, detail: `not valid before ${validFrom.toISOString()}` };
  }
  if (now.getTime() >= validTo.getTime()) {
    return { ok: false, daysLeft, expiresAt: validTo, detail: `expired on ${until}` };
  }
  if (daysLeft < minDays) {
    return {
      ok: false,
      daysLeft,
      expiresAt: validTo,
      detail: `expires on ${until}, in ${daysLeft} day(s): fewer than the ${minDays} required`,
    };
  }
  return { ok: true, daysLeft, expiresAt: validTo, detail: `valid until ${until} (${daysLeft} days left, at least ${minDays} required)` };
}
