/**
 * Validates a live site over HTTP(S) and returns a checklist: the "Validate" runbook's task, the
 * last step of restore/rollback/failover, and the demo's proof that recovery worked.
 *
 * Requests go through node's own http/https (not undici's fetch) so a caller-supplied CA and the
 * peer certificate are available, and so redirects are ours to police: only same-origin ones are
 * followed. A failing check never throws; it becomes a failed item. Only invalid options throw.
 */
import { randomUUID } from 'node:crypto';
import { promises as dns } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { mapWithConcurrency } from '../core/concurrency';
import {
  assessCertificateValidity,
  buildChecklist,
  compareHeaders,
  extractSameOriginLinks,
  parseCertificateDate,
  type CheckResult,
  type Checklist,
  type HeaderValues,
} from '../core/checklist';
import { InvalidInput } from '../shared/errors';
import { SECURITY_HEADERS } from '../shared/site-contract';

/** One HTTP exchange, without following redirects. */
export interface FetchedResponse {
  status: number;
  headers: HeaderValues;
  /** The body as text when `readBody` was asked for (possibly truncated), else ''. */
  body: string;
}

export interface FetchInit {
  /** Pages are read (for links and content); assets only need their status line. */
  readBody: boolean;
  /** Deadline for the whole exchange; reject with an error named 'TimeoutError' when it passes. */
  timeoutMs: number;
}

/** Performs one GET without following redirects. Injectable so callers can route or record requests. */
export type FetchImpl = (url: string, init: FetchInit) => Promise<FetchedResponse>;

export interface ValidateSiteOptions {
  /** The site root: `https://www.example.com`, or `http://127.0.0.1:8080` for a local server. */
  baseUrl: string;
  /** Paths that must answer 200; `/` is always checked. @default ['/'] */
  criticalPaths?: string[];
  /** Upper bound on linked pages and assets followed from the critical pages. @default 50 */
  maxLinkedAssets?: number;
  /** Each critical path must answer within this. @default 5000 */
  responseTimeLimitMs?: number;
  /** A marker (e.g. the release version) the index page must contain. @default no content check */
  expectedIndexContains?: string;
  /** The certificate must stay valid for at least this many whole days. @default 14 */
  minCertificateDays?: number;
  /** Resolve the host name with DNS. @default true unless the host is an IP address or localhost */
  checkDns?: boolean;
  /** Reports the CloudFront distribution status; must be 'Deployed'. @default the check is skipped */
  distribution?: { status: () => Promise<string> };
  /** Deadline per request (and for the TLS, DNS and distribution look-ups). @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Trust settings, e.g. a test's self-signed CA. `rejectUnauthorized: false` lets the HTTP checks
   * proceed against an untrusted certificate; the `tls-certificate` item still judges trust.
   * @default the system's trusted CAs, untrusted certificates rejected
   */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /** @default node http/https with a keep-alive agent per validation */
  fetchImpl?: FetchImpl;
}

export interface WatchSiteOptions extends ValidateSiteOptions {
  /** How long to keep re-checking; the first check runs at once. */
  windowMinutes: number;
  /** Time between the starts of consecutive checks. @default 60000 */
  intervalMs?: number;
  /** @default a setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
  /** Called with each checklist as it completes, for live progress in the CLI. @default none */
  onChecklist?: (checklist: Checklist, round: number) => void;
}

const MAX_REDIRECTS = 5;
/** Pages beyond this size are read only this far: enough for links and a version marker. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const CONCURRENCY = 6;
const USER_AGENT = 'sitedr-validator/1';
const MAX_LISTED = 10;

interface ResolvedOptions {
  base: URL;
  /** Host name without IPv6 brackets, as TLS and DNS want it. */
  host: string;
  paths: string[];
  maxLinkedAssets: number;
  responseTimeLimitMs: number;
  expectedIndexContains: string | undefined;
  minCertificateDays: number;
  checkDns: boolean;
  distribution: { status: () => Promise<string> } | undefined;
  requestTimeoutMs: number;
  ca: string | Buffer | undefined;
  rejectUnauthorized: boolean;
  fetchImpl: FetchImpl | undefined;
}

// ---------------------------------------------------------------------------------------------
// Options

function invalid(field: string, expected: string, got: unknown): InvalidInput {
  return new InvalidInput(field, expected, `${field}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
}

function positiveNumber(field: string, value: number | undefined, fallback: number, integer: boolean, allowZero = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw invalid(field, `a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}`, value);
  return value;
}

function isLocalHost(host: string): boolean {
  return isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost');
}

function resolveOptions(o: ValidateSiteOptions): ResolvedOptions {
  if (typeof o.baseUrl !== 'string') throw invalid('baseUrl', 'an http(s) URL of the site root', o.baseUrl);
  let base: URL;
  try {
    base = new URL(o.baseUrl);
  } catch {
    throw invalid('baseUrl', 'an http(s) URL of the site root', o.baseUrl);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw invalid('baseUrl', 'an https:// (or http:// for local) URL', o.baseUrl);
  if (base.username || base.password) throw invalid('baseUrl', 'a URL without credentials', o.baseUrl);
  if (base.pathname !== '/' || base.search || base.hash) throw invalid('baseUrl', 'the site root, without path, query or fragment', o.baseUrl);

  const requested = o.criticalPaths ?? ['/'];
  if (!Array.isArray(requested)) throw invalid('criticalPaths', 'an array of paths starting with "/"', requested);
  for (const p of requested) {
    // "//host/x" would resolve to another origin; a critical path is always on this site.
    if (typeof p !== 'string' || !p.startsWith('/') || p.startsWith('//')) throw invalid('criticalPaths', 'paths starting with a single "/"', p);
  }
  const paths = [...new Set(['/', ...requested])];

  if (o.expectedIndexContains !== undefined && (typeof o.expectedIndexContains !== 'string' || o.expectedIndexContains === '')) {
    throw invalid('expectedIndexContains', 'a non-empty string', o.expectedIndexContains);
  }
  if (o.checkDns !== undefined && typeof o.checkDns !== 'boolean') throw invalid('checkDns', 'a boolean', o.checkDns);
  if (o.distribution !== undefined && typeof o.distribution?.status !== 'function') {
    throw invalid('distribution', 'an object with a status() function', o.distribution);
  }
  if (o.fetchImpl !== undefined && typeof o.fetchImpl !== 'function') throw invalid('fetchImpl', 'a function', o.fetchImpl);
  if (o.tls?.rejectUnauthorized !== undefined && typeof o.tls.rejectUnauthorized !== 'boolean') {
    throw invalid('tls.rejectUnauthorized', 'a boolean', o.tls.rejectUnauthorized);
  }
  if (o.tls?.ca !== undefined && typeof o.tls.ca !== 'string' && !Buffer.isBuffer(o.tls.ca)) throw invalid('tls.ca', 'a PEM string or Buffer', o.tls.ca);

  const host = base.hostname.replace(/^\[|\]$/g, '');
  return {
    base,
    host,
    paths,
    maxLinkedAssets: positiveNumber('maxLinkedAssets', o.maxLinkedAssets, 50, true, true),
    responseTimeLimitMs: positiveNumber('responseTimeLimitMs', o.responseTimeLimitMs, 5000, false),
    expectedIndexContains: o.expectedIndexContains,
    minCertificateDays: positiveNumber('minCertificateDays', o.minCertificateDays, 14, false, true),
    checkDns: o.checkDns ?? !isLocalHost(host),
    distribution: o.distribution,
    requestTimeoutMs: positiveNumber('requestTimeoutMs', o.requestTimeoutMs, 10000, false),
    ca: o.tls?.ca,
    rejectUnauthorized: o.tls?.rejectUnauthorized ?? true,
    fetchImpl: o.fetchImpl,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

function timeoutError(what: string, ms: number): Error {
  const err = new Error(`no ${what} within ${ms} ms`);
  err.name = 'TimeoutError';
  return err;
}

// Duck-typed rather than `instanceof Error`: errors raised inside node's own modules come from
// another realm under test runners (and from any realm in an injected fetchImpl).
function errorField(err: unknown, field: 'name' | 'message'): string | undefined {
  const value = typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function isTimeout(err: unknown): boolean {
  return errorField(err, 'name') === 'TimeoutError';
}

function errorText(err: unknown): string {
  return errorField(err, 'message') ?? String(err);
}

/** Rejects with a TimeoutError when `promise` takes longer than `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface HttpClient {
  fetch: FetchImpl;
  close(): void;
}

/** node http/https with keep-alive agents for one validation run; `close` frees their sockets. */
function nodeHttpClient(o: ResolvedOptions): HttpClient {
  const agentOptions = { keepAlive: true, maxSockets: CONCURRENCY };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, ca: o.ca, rejectUnauthorized: o.rejectUnauthorized });
  const fetch: FetchImpl = (url, init) =>
    new Promise<FetchedResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = secure ? https.request : http.request;
      let settled = false;
      const finish = (err: Error | undefined, value?: FetchedResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value as FetchedResponse);
      };
      const req = request(
        target,
        {
          method: 'GET',
          agent: secure ? httpsAgent : httpAgent,
          // identity: we read bodies only for links and a marker, and need no decompression for that.
          headers: { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity' },
        },
        (res) => {
          const head = { status: res.statusCode ?? 0, headers: res.headers };
          if (!init.readBody) {
            // An asset "loads" when it answers 2xx; downloading a large video would prove nothing more.
            res.destroy();
            finish(undefined, { ...head, body: '' });
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= MAX_BODY_BYTES) {
              res.destroy();
              finish(undefined, { ...head, body: Buffer.concat(chunks).toString('utf8') });
            }
          });
          res.on('end', () => finish(undefined, { ...head, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => finish(err));
          res.on('close', () => {
            if (!res.complete) finish(new Error('the connection closed before the response was complete'));
          });
        },
      );
      const timer = setTimeout(() => {
        const err = timeoutError('response', init.timeoutMs);
        finish(err);
        req.destroy(err);
      }, init.timeoutMs);
      req.on('error', (err) => finish(err));
      req.end();
    });
  return {
    fetch,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

type Outcome =
  | {
      kind: 'response';
      /** The URL that produced `response`, after any same-origin redirects. */
      finalUrl: string;
      response: FetchedResponse;
      durationMs: number;
      /** Why a 3xx was not followed, when it was not. */
      note?: string;
    }
  | { kind: 'error'; error: unknown; durationMs: number };

/** GET, following same-origin redirects only (at most MAX_REDIRECTS), timed end to end. */
async function get(client: HttpClient, url: string, readBody: boolean, timeoutMs: number, followRedirects = true): Promise<Outcome> {
  const started = performance.now();
  let current = url;
  try {
    for (let hops = 0; ; hops++) {
      const response = await client.fetch(current, { readBody, timeoutMs });
      const location = response.headers.location;
      const redirect = response.status >= 300 && response.status < 400 && typeof location === 'string';
      if (!redirect || !followRedirects) return { kind: 'response', finalUrl: current, response, durationMs: performance.now() - started };
      const next = new URL(location, current);
      const base = { kind: 'response' as const, finalUrl: current, response, durationMs: performance.now() - started };
      if (next.origin !== new URL(current).origin) return { ...base, note: `redirects to ${next.href}, another origin: not followed` };
      if (hops >= MAX_REDIRECTS) return { ...base, note: `more than ${MAX_REDIRECTS} redirects` };
      current = next.href;
    }
  } catch (error) {
    return { kind: 'error', error, durationMs: performance.now() - started };
  }
}

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function ms(n: number): string {
  return `${Math.round(n)} ms`;
}

function describeFailure(outcome: Outcome): string {
  if (outcome.kind === 'error') return `no response: ${errorText(outcome.error)}`;
  return `${outcome.response.status}${outcome.note ? ` (${outcome.note})` : ''}`;
}

function listed(items: string[]): string {
  const more = items.length > MAX_LISTED ? `; and ${items.length - MAX_LISTED} more` : '';
  return items.slice(0, MAX_LISTED).join('; ') + more;
}

// ---------------------------------------------------------------------------------------------
// Checks

interface Page {
  path: string;
  url: string;
  outcome: Outcome;
}

async function timed(run: () => Promise<CheckResult>): Promise<CheckResult> {
  const started = performance.now();
  const result = await run();
  return { ...result, durationMs: Math.round(performance.now() - started) };
}

function statusResult(page: Page): CheckResult {
  const id = `status:${page.path}`;
  const name = `HTTP 200 for ${page.path}`;
  const { outcome } = page;
  const durationMs = Math.round(outcome.durationMs);
  if (outcome.kind === 'response' && outcome.response.status === 200) {
    const via = outcome.finalUrl !== page.url ? ` (redirected to ${pathOf(outcome.finalUrl)})` : '';
    return { id, name, status: 'pass', detail: `200 in ${ms(outcome.durationMs)}${via}`, durationMs };
  }
  return { id, name, status: 'fail', detail: `expected 200, got ${describeFailure(outcome)}`, durationMs };
}

function responseTimeResult(pages: Page[], limitMs: number): CheckResult {
  const id = 'response-time';
  const name = `Critical paths answer within ${limitMs} ms`;
  const answered = pages.filter((p) => p.outcome.kind === 'response');
  const timedOut = pages.filter((p) => p.outcome.kind === 'error' && isTimeout(p.outcome.error));
  if (answered.length === 0 && timedOut.length === 0) return { id, name, status: 'skip', detail: 'no critical path answered (see the status items)' };
  const slow = answered.filter((p) => p.outcome.durationMs > limitMs);
  if (slow.length > 0 || timedOut.length > 0) {
    const items = [
      ...slow.map((p) => `${p.path} in ${ms(p.outcome.durationMs)}`),
      ...timedOut.map((p) => `${p.path}: ${errorText((p.outcome as { error: unknown }).error)}`),
    ];
    return { id, name, status: 'fail', detail: `over the ${limitMs} ms limit: ${listed(items)}` };
  }
  const slowest = answered.reduce((a, b) => (b.outcome.durationMs > a.outcome.durationMs ? b : a));
  return { id, name, status: 'pass', detail: `slowest ${slowest.path} in ${ms(slowest.outcome.durationMs)} (limit ${limitMs} ms)` };
}

function indexContentResult(index: Page, expected: string | undefined): CheckResult {
  const id = 'index-content';
  const name = 'Index page has the expected content';
  if (expected === undefined) return { id, name, status: 'skip', detail: 'no expected content given' };
  const { outcome } = index;
  if (outcome.kind !== 'response' || outcome.response.status !== 200) {
    return { id, name, status: 'fail', detail: `${index.path} did not load: ${describeFailure(outcome)}` };
  }
  return outcome.response.body.includes(expected)
    ? { id, name, status: 'pass', detail: `${index.path} contains ${JSON.stringify(expected)}` }
    : { id, name, status: 'fail', detail: `${index.path} does not contain ${JSON.stringify(expected)}` };
}

function headerResults(pages: Page[]): CheckResult[] {
  const answered = pages.flatMap((p) => (p.outcome.kind === 'response' ? [{ path: p.path, headers: p.outcome.response.headers }] : []));
  return Object.entries(SECURITY_HEADERS).map(([header, expected]) => {
    const id = `header:${header}`;
    const name = `Security header ${header}`;
    if (answered.length === 0) return { id, name, status: 'skip', detail: 'no critical path answered (see the status items)' };
    const wrong: string[] = [];
    for (const page of answered) {
      const [cmp] = compareHeaders(page.headers, { [header]: expected });
      if (!cmp.ok) wrong.push(`on ${page.path}: ${cmp.actual === undefined ? 'missing' : `got ${JSON.stringify(cmp.actual)}`}`);
    }
    return wrong.length === 0
      ? { id, name, status: 'pass', detail: `${JSON.stringify(expected)} on ${answered.length} page(s)` }
      : { id, name, status: 'fail', detail: `expected ${JSON.stringify(expected)}; ${listed(wrong)}` };
  });
}

function isHtml(response: FetchedResponse): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && /html/i.test(type);
}

async function linksResult(client: HttpClient, pages: Page[], o: ResolvedOptions): Promise<CheckResult> {
  const id = 'links';
  const name = 'Same-origin pages and assets linked from the critical pages load';
  if (o.maxLinkedAssets === 0) return { id, name, status: 'skip', detail: 'not checked: maxLinkedAssets is 0' };
  const loaded = pages.flatMap((p) =>
    p.outcome.kind === 'response' && p.outcome.response.status === 200 && isHtml(p.outcome.response)
      ? [{ path: p.path, finalUrl: p.outcome.finalUrl, html: p.outcome.response.body }]
      : [],
  );
  if (loaded.length === 0) return { id, name, status: 'skip', detail: 'no critical page loaded as HTML (see the status items)' };

  // The critical pages themselves were just checked; everything else they link to is fair game.
  const alreadyChecked = new Set(pages.flatMap((p) => [p.url, ...(p.outcome.kind === 'response' ? [p.outcome.finalUrl] : [])]));
  const linkedFrom = new Map<string, string>();
  for (const page of loaded) {
    for (const link of extractSameOriginLinks(page.html, page.finalUrl)) {
      if (!alreadyChecked.has(link) && !linkedFrom.has(link)) linkedFrom.set(link, page.path);
    }
  }
  const all = [...linkedFrom.keys()];
  if (all.length === 0) return { id, name, status: 'pass', detail: 'no same-origin links on the critical pages' };
  const checked = all.slice(0, o.maxLinkedAssets);
  const bound = checked.length < all.length ? ` (first ${checked.length} of ${all.length}; bounded by maxLinkedAssets)` : '';
  const outcomes = await mapWithConcurrency(checked, CONCURRENCY, (url) => get(client, url, false, o.requestTimeoutMs));
  const broken = checked.flatMap((url, i) => {
    const outcome = outcomes[i];
    const ok = outcome.kind === 'response' && outcome.response.status >= 200 && outcome.response.status < 300;
    return ok ? [] : [`${pathOf(url)} -> ${describeFailure(outcome)} (linked from ${linkedFrom.get(url)})`];
  });
  return broken.length === 0
    ? { id, name, status: 'pass', detail: `${checked.length} linked page(s)/asset(s) load${bound}` }
    : { id, name, status: 'fail', detail: `${broken.length} of ${checked.length} broken${bound}: ${listed(broken)}` };
}

async function notFoundResult(client: HttpClient, o: ResolvedOptions): Promise<CheckResult> {
  const id = 'not-found';
  const name = 'A missing page answers 404';
  // Random, so no real page (or cached answer) can satisfy the check by accident.
  const path = `/sitedr-missing-${randomUUID()}.html`;
  // Not following redirects: the site must answer 404 itself, not bounce to a page that says so.
  const outcome = await get(client, new URL(path, o.base).href, false, o.requestTimeoutMs, false);
  if (outcome.kind === 'response' && outcome.response.status === 404) return { id, name, status: 'pass', detail: `404 for ${path}` };
  const hint =
    outcome.kind === 'response' && outcome.response.status === 403
      ? ': 403 means the 403 -> 404 error response mapping is missing'
      : outcome.kind === 'response' && outcome.response.status === 200
        ? ': a missing page answering 200 hides broken links'
        : '';
  return { id, name, status: 'fail', detail: `expected 404 for ${path}, got ${describeFailure(outcome)}${hint}` };
}

interface PeerInfo {
  cert: tls.PeerCertificate;
  authorized: boolean;
  authorizationError: string | undefined;
}

/** Handshakes once without rejecting, so an untrusted certificate can still be described. */
function readPeerCertificate(o: ResolvedOptions): Promise<PeerInfo> {
  return new Promise<PeerInfo>((resolve, reject) => {
    const socket = tls.connect({
      host: o.host,
      port: Number(o.base.port || 443),
      // SNI must be a name, never an IP address (node warns and servers ignore it).
      servername: isIP(o.host) ? undefined : o.host,
      ca: o.ca,
      rejectUnauthorized: false,
    });
    socket.setTimeout(o.requestTimeoutMs, () => socket.destroy(timeoutError('TLS handshake', o.requestTimeoutMs)));
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      const info: PeerInfo = {
        cert: socket.getPeerCertificate(),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
      };
      socket.end();
      resolve(info);
    });
    // `on`, not `once`: a reset while closing must not surface as an unhandled 'error' event.
    socket.on('error', reject);
  });
}

async function certificateResult(o: ResolvedOptions): Promise<CheckResult> {
  const id = 'tls-certificate';
  const name = `TLS certificate trusted, valid for the host and at least ${o.minCertificateDays} days from expiry`;
  if (o.base.protocol !== 'https:') return { id, name, status: 'skip', detail: 'plain http: no certificate' };
  let peer: PeerInfo;
  try {
    peer = await readPeerCertificate(o);
  } catch (err) {
    return { id, name, status: 'fail', detail: `TLS handshake failed: ${errorText(err)}` };
  }
  const { cert } = peer;
  if (!cert || !cert.valid_to) return { id, name, status: 'fail', detail: 'the server presented no certificate' };
  const problems: string[] = [];
  const identityError = tls.checkServerIdentity(o.host, cert);
  if (identityError) problems.push(`not valid for ${o.host}: ${identityError.message}`);
  let calendar = '';
  try {
    const assessment = assessCertificateValidity(
      { validFrom: parseCertificateDate(cert.valid_from), validTo: parseCertificateDate(cert.valid_to) },
      new Date(),
      o.minCertificateDays,
    );
    if (assessment.ok) calendar = assessment.detail;
    else problems.push(assessment.detail);
  } catch (err) {
    problems.push(errorText(err));
  }
  if (!peer.authorized) problems.push(`not trusted: ${peer.authorizationError ?? 'unknown reason'}`);
  const subject = `${cert.subject?.CN ?? 'no CN'} issued by ${cert.issuer?.CN ?? cert.issuer?.O ?? 'unknown'}`;
  return problems.length === 0
    ? { id, name, status: 'pass', detail: `${subject}; ${calendar}` }
    : { id, name, status: 'fail', detail: `${subject}; ${problems.join('; ')}` };
}

async function dnsResult(o: ResolvedOptions): Promise<CheckResult> {
  const id = 'dns';
  const name = `DNS resolves ${o.host}`;
  if (!o.checkDns) return { id, name, status: 'skip', detail: `not checked for ${o.host}` };
  try {
    // lookup() asks the system resolver, as browsers and our own requests do.
    const addresses = await withDeadline(dns.lookup(o.host, { all: true }), o.requestTimeoutMs, 'DNS answer');
    if (addresses.length === 0) return { id, name, status: 'fail', detail: `${o.host} resolved to no address` };
    return { id, name, status: 'pass', detail: `${o.host} -> ${addresses.map((a) => a.address).join(', ')}` };
  } catch (err) {
    return { id, name, status: 'fail', detail: `${o.host} does not resolve: ${errorText(err)}` };
  }
}

async function distributionResult(o: ResolvedOptions): Promise<CheckResult> {
  const id = 'distribution';
  const name = 'CloudFront distribution is Deployed';
  if (!o.distribution) return { id, name, status: 'skip', detail: 'no distribution to check' };
  try {
    const status = await withDeadline(o.distribution.status(), o.requestTimeoutMs, 'distribution status');
    return status === 'Deployed'
      ? { id, name, status: 'pass', detail: 'Deployed' }
      : { id, name, status: 'fail', detail: `status is ${JSON.stringify(status)}, expected "Deployed"` };
  } catch (err) {
    return { id, name, status: 'fail', detail: `could not read the status: ${errorText(err)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Runs every check once and returns the checklist; `passed` is false when any item failed.
 * @throws InvalidInput when an option is invalid (nothing has been requested yet)
 */
export async function validateSite(options: ValidateSiteOptions): Promise<Checklist> {
  const o = resolveOptions(options);
  const checkedAt = new Date();
  const client: HttpClient = o.fetchImpl ? { fetch: o.fetchImpl, close: () => undefined } : nodeHttpClient(o);
  try {
    const fetchPages = async (): Promise<Page[]> =>
      mapWithConcurrency(o.paths, CONCURRENCY, async (path) => {
        const url = new URL(path, o.base).href;
        return { path, url, outcome: await get(client, url, true, o.requestTimeoutMs) };
      });
    // The independent checks overlap with the page fetches; only `links` needs the pages first.
    const [pages, notFound, certificate, resolved, distribution] = await Promise.all([
      fetchPages(),
      timed(() => notFoundResult(client, o)),
      timed(() => certificateResult(o)),
      timed(() => dnsResult(o)),
      timed(() => distributionResult(o)),
    ]);
    const links = await timed(() => linksResult(client, pages, o));
    const results: CheckResult[] = [
      ...pages.map(statusResult),
      responseTimeResult(pages, o.responseTimeLimitMs),
      indexContentResult(pages[0], o.expectedIndexContains),
      links,
      ...headerResults(pages),
      notFound,
      certificate,
      resolved,
      distribution,
    ];
    return buildChecklist(o.base.href, checkedAt, results);
  } finally {
    client.close();
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Re-validates every `intervalMs` (start to start) for `windowMinutes`, the first check at once:
 * a 5-minute window at the default interval gives 6 checklists. For the CLI and demo; the Step
 * Functions machine does its own waiting between single validations.
 * @throws InvalidInput when an option is invalid
 */
export async function watchSite(options: WatchSiteOptions): Promise<Checklist[]> {
  resolveOptions(options);
  if (options.windowMinutes === undefined) throw invalid('windowMinutes', 'a positive number', undefined);
  const windowMs = positiveNumber('windowMinutes', options.windowMinutes, 0, false) * 60_000;
  const intervalMs = positiveNumber('intervalMs', options.intervalMs, 60_000, false);
  const sleep = options.sleep ?? realSleep;
  const rounds = Math.floor(windowMs / intervalMs) + 1;
  const checklists: Checklist[] = [];
  let lastCheckMs = 0;
  for (let round = 0; round < rounds; round++) {
    // Start to start: the time the previous check took counts towards the interval.
    if (round > 0) await sleep(Math.max(0, intervalMs - lastCheckMs));
    const started = performance.now();
    const checklist = await validateSite(options);
    lastCheckMs = performance.now() - started;
    checklists.push(checklist);
    options.onChecklist?.(checklist, round);
  }
  return checklists;
}
