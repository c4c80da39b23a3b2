/**
 * The validator against real local servers: node:https with certificates made by openssl at test
 * time, and plain node:http. Every server listens on 127.0.0.1, port 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult, Checklist } from '../../lambda/core/checklist';
import { validateSite, watchSite, type FetchImpl, type ValidateSiteOptions } from '../../lambda/aws/site-validator';
import { SECURITY_HEADERS } from '../../lambda/shared/site-contract';

// ---------------------------------------------------------------------------------------------
// Certificates

interface Credentials {
  key: string;
  cert: string;
}

let certDir: string;
const certs: Record<'good' | 'expiring' | 'otherHost', Credentials> = {} as never;

function makeCertificate(name: string, days: number, host: string): Credentials {
  const key = join(certDir, `${name}.key`);
  const cert = join(certDir, `${name}.crt`);
  const san = host === 'localhost' ? 'DNS:localhost,IP:127.0.0.1' : `DNS:${host}`;
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', `/CN=${host}`, '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'sitedr-certs-'));
  certs.good = makeCertificate('good', 365, 'localhost');
  certs.expiring = makeCertificate('expiring', 5, 'localhost');
  certs.otherHost = makeCertificate('other', 365, 'other.test');
});

afterAll(() => rmSync(certDir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// A small static site, shaped like what CloudFront serves for the site stack

interface Route {
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
}

interface SiteSpec {
  /** Added to (or replacing) the default routes; keyed by path without query. */
  routes?: Record<string, Route>;
  /** Header overrides on every response; `undefined` removes one of the security headers. */
  headers?: Record<string, string | undefined>;
  /** What a missing path answers: 404 with /404.html, as the site stack maps it. */
  missing?: Route;
  tls?: Credentials;
}

const INDEX_HTML = `<!doctype html><html><head>
<title>Example</title>
<link rel="stylesheet" href="/css/site.css?v=3">
<script src="js/app.js"></script>
<script src="https://cdn.example.com/analytics.js"></script>
</head><body>
<a href="/about.html">About</a> <a href="#main">skip</a> <a href="mailto:ops@example.com">mail</a>
<img src="/img/logo.png" srcset="/img/logo.png 1x, /img/logo@2x.png 2x" alt="logo">
<footer>release-2026.03.01</footer>
</body></html>`;

const DEFAULT_ROUTES: Record<string, Route> = {
  '/': { body: INDEX_HTML },
  '/about.html': { body: '<html><body><a href="/">Home</a><img src="/img/logo.png"></body></html>' },
  '/css/site.css': { body: 'body{}', contentType: 'text/css' },
  '/js/app.js': { body: 'void 0', contentType: 'text/javascript' },
  '/img/logo.png': { body: 'png', contentType: 'image/png' },
  '/img/logo@2x.png': { body: 'png2', contentType: 'image/png' },
  '/404.html': { body: '<html><body>Not found</body></html>' },
};

interface RunningSite {
  /** Base URL on 127.0.0.1. */
  ip: string;
  /** Base URL on localhost (the name the test certificates are issued for). */
  local: string;
  port: number;
  /** Request paths (with query) in arrival order. */
  requests: string[];
  spec: SiteSpec;
}

const running: (http.Server | https.Server)[] = [];

async function startSite(spec: SiteSpec = {}): Promise<RunningSite> {
  const requests: string[] = [];
  const handler: http.RequestListener = (req, res) => {
    requests.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const routes = { ...DEFAULT_ROUTES, ...site.spec.routes };
    const route = routes[path] ?? site.spec.missing ?? { status: 404, body: DEFAULT_ROUTES['/404.html'].body };
    if (route.hang) return;
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'text/html; charset=utf-8', ...SECURITY_HEADERS };
    for (const [name, value] of Object.entries(site.spec.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    Object.assign(headers, route.headers);
    const send = () => {
      res.writeHead(route.status ?? 200, headers);
      res.end(route.body ?? '');
    };
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  };
  const server = spec.tls ? https.createServer({ key: spec.tls.key, cert: spec.tls.cert }, handler) : http.createServer(handler);
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = spec.tls ? 'https' : 'http';
  const site: RunningSite = { ip: `${scheme}://127.0.0.1:${port}`, local: `${scheme}://localhost:${port}`, port, requests, spec };
  return site;
}

afterEach(async () => {
  for (const server of running.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

// ---------------------------------------------------------------------------------------------
// Helpers

function item(c: Checklist, id: string): CheckResult {
  const found = c.results.find((r) => r.id === id);
  if (!found) throw new Error(`no item ${id} in ${c.results.map((r) => r.id).join(', ')}`);
  return found;
}

const failedIds = (c: Checklist) => c.results.filter((r) => r.status === 'fail').map((r) => r.id);
const headerIds = Object.keys(SECURITY_HEADERS).map((h) => `header:${h}`);

// ---------------------------------------------------------------------------------------------

describe('validateSite on a healthy site', () => {
  it('passes every check over https with the right headers, links, certificate, DNS and distribution', async () => {
    const site = await startSite({ tls: certs.good });
    const checklist = await validateSite({
      baseUrl: site.local,
      criticalPaths: ['/', '/about.html'],
      tls: { ca: certs.good.cert },
      checkDns: true,
      expectedIndexContains: 'release-2026.03.01',
      distribution: { status: async () => 'Deployed' },
    });

    expect(checklist.results.map((r) => r.id)).toEqual([
      'status:/',
      'status:/about.html',
      'response-time',
      'index-content',
      'links',
      ...headerIds,
      'not-found',
      'tls-certificate',
      'dns',
      'distribution',
    ]);
    expect(checklist.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(checklist).toMatchObject({ url: `${site.local}/`, passed: true });
    expect(item(checklist, 'tls-certificate').detail).toMatch(/localhost issued by localhost; valid until .* \((364|365) days left/);
    expect(item(checklist, 'dns').detail).toBe('localhost -> 127.0.0.1');
    // Links from both pages, deduplicated, the critical pages themselves not re-fetched, the CDN never touched.
    expect(item(checklist, 'links').detail).toBe('4 linked page(s)/asset(s) load');
    expect(site.requests).toEqual(expect.arrayContaining(['/css/site.css?v=3', '/js/app.js', '/img/logo.png', '/img/logo@2x.png']));
    expect(site.requests.filter((r) => r === '/img/logo.png')).toHaveLength(1);
    expect(site.requests.filter((r) => r === '/about.html')).toHaveLength(1);
    expect(site.requests.find((r) => r.startsWith('/sitedr-missing-'))).toBeDefined();
  });

  it('skips what does not apply to a plain-http local site and still passes', async () => {
    const site = await startSite();
    const checklist = await validateSite({ baseUrl: site.ip });
    const skipped = checklist.results.filter((r) => r.status === 'skip').map((r) => r.id);
    expect(skipped).toEqual(['index-content', 'tls-certificate', 'dns', 'distribution']);
    expect(item(checklist, 'tls-certificate').detail).toBe('plain http: no certificate');
    expect(checklist.passed).toBe(true);
  });
});

describe('validateSite failing exactly the broken item', () => {
  it('fails only the header items that are wrong or missing, showing expected and actual', async () => {
    const site = await startSite({ headers: { 'x-frame-options': 'SAMEORIGIN', 'permissions-policy': undefined } });
    const checklist = await validateSite({ baseUrl: site.ip });
    expect(failedIds(checklist)).toEqual(['header:x-frame-options', 'header:permissions-policy']);
    expect(item(checklist, 'header:x-frame-options').detail).toBe('expected "DENY"; on /: got "SAMEORIGIN"');
    expect(item(checklist, 'header:permissions-policy').detail).toMatch(/^expected "camera=\(\).*"; on \/: missing$/);
    expect(checklist.passed).toBe(false);
  });

  it('checks the headers on every critical page and names the page that lacks one', async () => {
    const site = await startSite({ routes: { '/about.html': { body: '<p>about</p>', headers: { 'x-content-type-options': 'sniff-away' } } } });
    const checklist = await validateSite({ baseUrl: site.ip, criticalPaths: ['/about.html'] });
    expect(failedIds(checklist)).toEqual(['header:x-content-type-options']);
    expect(item(checklist, 'header:x-content-type-options').detail).toBe('expected "nosniff"; on /about.html: got "sniff-away"');
  });

  it('fails links naming each broken page or asset and where it is linked from', async () => {
    const index = INDEX_HTML.replace('</body>', '<a href="/old-page.html">old</a><img src="img/missing.png"></body>');
    const site = await startSite({ routes: { '/': { body: index } } });
    const checklist = await validateSite({ baseUrl: site.ip });
    expect(failedIds(checklist)).toEqual(['links']);
    expect(item(checklist, 'links').detail).toBe(
      '2 of 7 broken: /old-page.html -> 404 (linked from /); /img/missing.png -> 404 (linked from /)',
    );
  });

  it('follows at most maxLinkedAssets links and says the check was bounded', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `<a href="/p/${i}.html">${i}</a>`).join('');
    const routes: Record<string, Route> = { '/': { body: `<html><body>${many}</body></html>` } };
    for (let i = 0; i < 30; i++) routes[`/p/${i}.html`] = { body: 'page' };
    const site = await startSite({ routes });
    const checklist = await validateSite({ baseUrl: site.ip, maxLinkedAssets: 5 });
    expect(item(checklist, 'links')).toMatchObject({ status: 'pass', detail: '5 linked page(s)/asset(s) load (first 5 of 30; bounded by maxLinkedAssets)' });
    expect(site.requests.filter((r) => r.startsWith('/p/'))).toHaveLength(5);

    const none = await validateSite({ baseUrl: site.ip, maxLinkedAssets: 0 });
    expect(item(none, 'links')).toMatchObject({ status: 'skip', detail: 'not checked: maxLinkedAssets is 0' });
  });

  it('fails response-time when a critical path answers slower than the limit, and passes under a looser one', async () => {
    const site = await startSite({ routes: { '/about.html': { body: 'about', delayMs: 400 } } });
    const strict = await validateSite({ baseUrl: site.ip, criticalPaths: ['/about.html'], responseTimeLimitMs: 200 });
    expect(failedIds(strict)).toEqual(['response-time']);
    expect(item(strict, 'response-time').detail).toMatch(/^over the 200 ms limit: \/about\.html in \d+ ms$/);
    // The slow page still loaded: its status item passes.
    expect(item(strict, 'status:/about.html').status).toBe('pass');

    const loose = await validateSite({ baseUrl: site.ip, criticalPaths: ['/about.html'], responseTimeLimitMs: 3000 });
    expect(item(loose, 'response-time')).toMatchObject({ status: 'pass' });
    expect(item(loose, 'response-time').detail).toMatch(/^slowest \/about\.html in \d+ ms \(limit 3000 ms\)$/);
  });

  it('fails index-content when the index lacks the expected marker', async () => {
    const site = await startSite();
    const checklist = await validateSite({ baseUrl: site.ip, expectedIndexContains: 'release-2026.04.01' });
    expect(failedIds(checklist)).toEqual(['index-content']);
    expect(item(checklist, 'index-content').detail).toBe('/ does not contain "release-2026.04.01"');
  });

  it('fails not-found when a missing path answers 403 (no error mapping) or 200 (catch-all)', async () => {
    const forbidden = await startSite({ missing: { status: 403, body: '<Error><Code>AccessDenied</Code></Error>', contentType: 'application/xml' } });
    const c403 = await validateSite({ baseUrl: forbidden.ip });
    expect(failedIds(c403)).toEqual(['not-found']);
    expect(item(c403, 'not-found').detail).toMatch(/^expected 404 for \/sitedr-missing-[0-9a-f-]+\.html, got 403: 403 means the 403 -> 404 error response mapping is missing$/);

    const catchAll = await startSite({ missing: { status: 200, body: INDEX_HTML } });
    const c200 = await validateSite({ baseUrl: catchAll.ip });
    expect(failedIds(c200)).toEqual(['not-found']);
    expect(item(c200, 'not-found').detail).toMatch(/got 200: a missing page answering 200 hides broken links$/);
  });
});

describe('validateSite TLS certificate', () => {
  it('fails a certificate 5 days from expiry under the 14-day minimum, and passes it under a 3-day one', async () => {
    const site = await startSite({ tls: certs.expiring });
    const checklist = await validateSite({ baseUrl: site.local, tls: { ca: certs.expiring.cert } });
    expect(failedIds(checklist)).toEqual(['tls-certificate']);
    expect(item(checklist, 'tls-certificate').detail).toMatch(/in [45] day\(s\): fewer than the 14 required$/);

    const relaxed = await validateSite({ baseUrl: site.local, tls: { ca: certs.expiring.cert }, minCertificateDays: 3 });
    expect(relaxed.passed).toBe(true);
  });

  it('fails an untrusted certificate when the CA is not given; the HTTP checks then fail too', async () => {
    const site = await startSite({ tls: certs.good });
    const checklist = await validateSite({ baseUrl: site.local });
    expect(item(checklist, 'tls-certificate')).toMatchObject({ status: 'fail' });
    expect(item(checklist, 'tls-certificate').detail).toMatch(/not trusted: DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(item(checklist, 'status:/').detail).toMatch(/^expected 200, got no response: self[- ]signed certificate/);
  });

  it('with rejectUnauthorized false, checks the site over untrusted TLS but still fails the certificate', async () => {
    const site = await startSite({ tls: certs.good });
    const checklist = await validateSite({ baseUrl: site.local, tls: { rejectUnauthorized: false } });
    expect(failedIds(checklist)).toEqual(['tls-certificate']);
  });

  it('fails a trusted certificate issued for another host name', async () => {
    const site = await startSite({ tls: certs.otherHost });
    const checklist = await validateSite({ baseUrl: site.local, tls: { ca: certs.otherHost.cert, rejectUnauthorized: false } });
    expect(failedIds(checklist)).toEqual(['tls-certificate']);
    expect(item(checklist, 'tls-certificate').detail).toMatch(/not valid for localhost: .*other\.test/);
  });

  it('verifies an IP-address base URL against the certificate IP SAN, without SNI', async () => {
    const site = await startSite({ tls: certs.good });
    const checklist = await validateSite({ baseUrl: site.ip, tls: { ca: certs.good.cert } });
    expect(checklist.passed).toBe(true);
    expect(item(checklist, 'tls-certificate').status).toBe('pass');
  });
});

describe('validateSite redirects, unreachable servers and callbacks', () => {
  it('follows same-origin redirects only, at most five', async () => {
    const site = await startSite({
      routes: {
        '/docs': { status: 301, headers: { location: '/docs/' } },
        '/docs/': { body: 'docs' },
        '/away': { status: 302, headers: { location: 'https://elsewhere.example/' } },
        '/loop': { status: 302, headers: { location: '/loop' } },
      },
    });
    const checklist = await validateSite({ baseUrl: site.ip, criticalPaths: ['/docs', '/away', '/loop'] });
    expect(item(checklist, 'status:/docs')).toMatchObject({ status: 'pass' });
    expect(item(checklist, 'status:/docs').detail).toMatch(/^200 in \d+ ms \(redirected to \/docs\/\)$/);
    expect(item(checklist, 'status:/away').detail).toBe('expected 200, got 302 (redirects to https://elsewhere.example/, another origin: not followed)');
    expect(item(checklist, 'status:/loop').detail).toBe('expected 200, got 302 (more than 5 redirects)');
    expect(site.requests.filter((r) => r === '/loop')).toHaveLength(6);
  });

  it('reports a hanging page as a failed status and response time, without throwing', async () => {
    const site = await startSite({ routes: { '/': { hang: true } } });
    const checklist = await validateSite({ baseUrl: site.ip, requestTimeoutMs: 300 });
    expect(item(checklist, 'status:/').detail).toBe('expected 200, got no response: no response within 300 ms');
    expect(item(checklist, 'response-time').detail).toBe('over the 5000 ms limit: /: no response within 300 ms');
    expect(item(checklist, 'links').status).toBe('skip');
    expect(item(checklist, 'not-found').status).toBe('pass');
  });

  it('returns a failed checklist for a server that refuses connections', async () => {
    const site = await startSite();
    const closed = running.pop() as http.Server;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const checklist = await validateSite({ baseUrl: site.ip });
    expect(checklist.passed).toBe(false);
    expect(item(checklist, 'status:/').detail).toMatch(/^expected 200, got no response: connect ECONNREFUSED/);
    expect(failedIds(checklist)).toEqual(['status:/', 'not-found']);
    expect(item(checklist, 'header:x-frame-options').status).toBe('skip');
  });

  it('fails dns for a name that does not resolve', async () => {
    const checklist = await validateSite({ baseUrl: 'http://sitedr-no-such-host.invalid', checkDns: true, requestTimeoutMs: 3000 });
    expect(item(checklist, 'dns')).toMatchObject({ status: 'fail' });
    expect(item(checklist, 'dns').detail).toMatch(/^sitedr-no-such-host\.invalid does not resolve: /);
  });

  it('fails distribution unless the callback reports Deployed, including when it throws', async () => {
    const site = await startSite();
    const inProgress = await validateSite({ baseUrl: site.ip, distribution: { status: async () => 'InProgress' } });
    expect(failedIds(inProgress)).toEqual(['distribution']);
    expect(item(inProgress, 'distribution').detail).toBe('status is "InProgress", expected "Deployed"');

    const broken = await validateSite({
      baseUrl: site.ip,
      distribution: {
        status: async () => {
          throw new Error('AccessDenied: cloudfront:GetDistribution');
        },
      },
    });
    expect(item(broken, 'distribution').detail).toBe('could not read the status: AccessDenied: cloudfront:GetDistribution');
  });

  it('sends every request through an injected fetchImpl', async () => {
    const seen: string[] = [];
    const headers = { ...SECURITY_HEADERS, 'content-type': 'text/html' };
    const fetchImpl: FetchImpl = async (url) => {
      seen.push(url);
      const path = new URL(url).pathname;
      if (path === '/') return { status: 200, headers, body: '<a href="/a.html">a</a>' };
      if (path === '/a.html') return { status: 200, headers, body: '' };
      return { status: 404, headers, body: '' };
    };
    const checklist = await validateSite({ baseUrl: 'http://site.test', checkDns: false, fetchImpl });
    expect(checklist.passed).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['http://site.test/', 'http://site.test/a.html']));
    expect(seen).toHaveLength(3);
  });
});

describe('validateSite options', () => {
  const cases: [string, Partial<ValidateSiteOptions>, string][] = [
    ['a non-http scheme', { baseUrl: 'ftp://example.com' }, 'baseUrl'],
    ['a base URL with a path', { baseUrl: 'https://example.com/site/' }, 'baseUrl'],
    ['a base URL that does not parse', { baseUrl: 'example.com' }, 'baseUrl'],
    ['a critical path without a leading slash', { criticalPaths: ['about.html'] }, 'criticalPaths'],
    ['a protocol-relative critical path', { criticalPaths: ['//evil.example/'] }, 'criticalPaths'],
    ['a negative link bound', { maxLinkedAssets: -1 }, 'maxLinkedAssets'],
    ['a fractional link bound', { maxLinkedAssets: 2.5 }, 'maxLinkedAssets'],
    ['a zero response-time limit', { responseTimeLimitMs: 0 }, 'responseTimeLimitMs'],
    ['an empty expected marker', { expectedIndexContains: '' }, 'expectedIndexContains'],
    ['a negative certificate margin', { minCertificateDays: -1 }, 'minCertificateDays'],
    ['a distribution without status()', { distribution: {} as never }, 'distribution'],
  ];

  it.each(cases)('rejects %s with InvalidInput naming the field', async (_label, override, field) => {
    const fetchImpl = jest.fn<ReturnType<FetchImpl>, Parameters<FetchImpl>>();
    await expect(validateSite({ baseUrl: 'http://127.0.0.1:9', fetchImpl, ...override })).rejects.toMatchObject({ name: 'InvalidInput', field });
    // Nothing is requested before the options are known to be good.
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe('watchSite', () => {
  it('re-checks every interval for the window, each round seeing the site as it is then', async () => {
    const site = await startSite();
    const sleeps: number[] = [];
    const rounds: number[] = [];
    const checklists = await watchSite({
      baseUrl: site.ip,
      windowMinutes: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
        // The site regresses during the watch: the next round must notice.
        site.spec.headers = { 'x-frame-options': 'SAMEORIGIN' };
      },
      onChecklist: (_c, round) => rounds.push(round),
    });
    expect(checklists.map((c) => c.passed)).toEqual([true, false, false]);
    expect(failedIds(checklists[2])).toEqual(['header:x-frame-options']);
    expect(rounds).toEqual([0, 1, 2]);
    // Start-to-start scheduling: each sleep is the 60 s interval less the time the checks took.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThan(55_000);
    expect(sleeps[0]).toBeLessThanOrEqual(60_000);
    expect(sleeps[1]).toBeGreaterThan(55_000);
    expect(sleeps[1]).toBeLessThanOrEqual(60_000);
  });

  it('rejects a missing or non-positive window and interval before checking anything', async () => {
    const sleep = jest.fn(async () => undefined);
    await expect(watchSite({ baseUrl: 'http://127.0.0.1:9', windowMinutes: 0, sleep })).rejects.toMatchObject({ name: 'InvalidInput', field: 'windowMinutes' });
    await expect(watchSite({ baseUrl: 'http://127.0.0.1:9', windowMinutes: 5, intervalMs: -1, sleep })).rejects.toMatchObject({ name: 'InvalidInput', field: 'intervalMs' });
    await expect(watchSite({ baseUrl: 'http://127.0.0.1:9' } as never)).rejects.toMatchObject({ name: 'InvalidInput', field: 'windowMinutes' });
    expect(sleep).not.toHaveBeenCalled();
  });
});
