import {
  assessCertificateValidity,
  buildChecklist,
  compareHeaders,
  daysUntil,
  decodeHtmlEntities,
  extractSameOriginLinks,
  parseCertificateDate,
  parseSrcset,
  renderChecklist,
  summarizeChecklist,
  type CheckResult,
} from '../../lambda/core/checklist';
import { SECURITY_HEADERS } from '../../lambda/shared/site-contract';

describe('extractSameOriginLinks', () => {
  const page = 'https://www.example.com/docs/guide/index.html';

  it('resolves relative, root-relative and absolute same-origin references from a, link, script and img', () => {
    const html = `
      <link rel="stylesheet" href="../css/site.css">
      <script src="/js/app.js"></script>
      <a href="intro.html">Intro</a>
      <a href="./deep/page.html">Deep</a>
      <A HREF="https://www.example.com/about/">About</A>
      <img alt="logo" src=logo.png>`;
    expect(extractSameOriginLinks(html, page)).toEqual([
      'https://www.example.com/docs/css/site.css',
      'https://www.example.com/js/app.js',
      'https://www.example.com/docs/guide/intro.html',
      'https://www.example.com/docs/guide/deep/page.html',
      'https://www.example.com/about/',
      'https://www.example.com/docs/guide/logo.png',
    ]);
  });

  it('takes every candidate of a srcset, on img and picture sources, including URLs that contain commas', () => {
    const html = `
      <picture><source srcset="/img/hero.webp 1x, /img/hero@2x.webp 2x" type="image/webp">
      <img src="/img/hero.jpg" srcset="/img/hero-480.jpg 480w,/img/hero-800.jpg 800w, /img/a,b.jpg 2x"></picture>`;
    expect(extractSameOriginLinks(html, page)).toEqual([
      'https://www.example.com/img/hero.webp',
      'https://www.example.com/img/hero@2x.webp',
      'https://www.example.com/img/hero.jpg',
      'https://www.example.com/img/hero-480.jpg',
      'https://www.example.com/img/hero-800.jpg',
      'https://www.example.com/img/a,b.jpg',
    ]);
  });

  it('keeps query strings (entity-decoded) as part of the URL and drops fragments', () => {
    const html = `<link href="/css/site.css?v=3&amp;x=1"><a href="/faq.html#shipping">FAQ</a><a href="/faq.html">FAQ again</a>`;
    expect(extractSameOriginLinks(html, page)).toEqual(['https://www.example.com/css/site.css?v=3&x=1', 'https://www.example.com/faq.html']);
  });

  it('ignores other origins, protocol-relative hosts, other ports and schemes, and non-resource schemes', () => {
    const html = `
      <a href="https://cdn.example.com/lib.js">cdn</a>
      <script src="//cdn.example.com/lib.js"></script>
      <a href="http://www.example.com/plain-http">other scheme</a>
      <a href="https://www.example.com:8443/other-port">other port</a>
      <a href="mailto:ops@example.com">mail</a>
      <a href="tel:+15551234">call</a>
      <a href="javascript:void(0)">js</a>
      <img src="data:image/png;base64,AAAA">
      <a href="#top">top</a>
      <a href="">empty</a>
      <a name="anchor-without-href">x</a>`;
    expect(extractSameOriginLinks(html, page)).toEqual([]);
  });

  it('deduplicates across tags and spellings of the same URL, keeping document order', () => {
    const html = `<a href="/a.html"></a><a href="../../a.html"></a><link href="https://www.example.com/a.html"><a href="/b.html"></a><a href='/a.html#x'></a>`;
    expect(extractSameOriginLinks(html, page)).toEqual(['https://www.example.com/a.html', 'https://www.example.com/b.html']);
  });

  it('ignores tags inside comments and inline scripts, and unrelated tags with href-like attributes', () => {
    const html = `
      <!-- <a href="/old-page.html">old</a> -->
      <script>document.write('<img src="/tracking.gif">');</script>
      <div data-href="/not-a-link"></div><form action="/submit"></form>
      <a href="/kept.html">kept</a>`;
    expect(extractSameOriginLinks(html, page)).toEqual(['https://www.example.com/kept.html']);
  });

  it('resolves against <base href> but still only keeps links on the page origin', () => {
    const html = `<base href="/assets/"><img src="logo.png"><a href="https://www.example.com/x.html">x</a>`;
    expect(extractSameOriginLinks(html, page)).toEqual(['https://www.example.com/assets/logo.png', 'https://www.example.com/x.html']);
    const offsite = `<base href="https://cdn.example.com/"><img src="logo.png"><img src="/local.png">`;
    expect(extractSameOriginLinks(offsite, page)).toEqual([]);
  });
});

describe('parseSrcset and decodeHtmlEntities', () => {
  it('parses candidates with and without descriptors', () => {
    expect(parseSrcset('a.png, b.png 2x,c.png 300w , d.png,')).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
    expect(parseSrcset('  ')).toEqual([]);
  });

  it('decodes named and numeric entities and leaves unknown ones alone', () => {
    expect(decodeHtmlEntities('a&amp;b&#38;c&#x26;d&bogus;')).toBe('a&b&c&d&bogus;');
  });
});

describe('compareHeaders', () => {
  it('passes every SECURITY_HEADERS entry when each has its exact value, whatever the name case', () => {
    const received = Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k.toUpperCase(), v]));
    const result = compareHeaders(received);
    expect(result.map((r) => r.name)).toEqual(Object.keys(SECURITY_HEADERS));
    expect(result.every((r) => r.ok)).toBe(true);
  });

  it('fails a header that is missing, has a different value, or only a prefix of the value', () => {
    const result = compareHeaders({
      'X-Frame-Options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000',
      'x-content-type-options': ' nosniff ',
    });
    const byName = Object.fromEntries(result.map((r) => [r.name, r]));
    expect(byName['x-frame-options']).toEqual({ name: 'x-frame-options', expected: 'DENY', actual: 'SAMEORIGIN', ok: false });
    expect(byName['strict-transport-security'].ok).toBe(false);
    expect(byName['referrer-policy']).toMatchObject({ actual: undefined, ok: false });
    // Optional whitespace around a value is not part of it (RFC 9110 field values).
    expect(byName['x-content-type-options'].ok).toBe(true);
  });

  it('joins a repeated header, so a duplicate that changes the meaning fails', () => {
    const [cmp] = compareHeaders({ 'x-frame-options': ['DENY', 'SAMEORIGIN'] }, { 'x-frame-options': 'DENY' });
    expect(cmp).toMatchObject({ actual: 'DENY, SAMEORIGIN', ok: false });
  });

  it('compares against a custom expectation when given one', () => {
    expect(compareHeaders({ 'X-Custom': 'yes' }, { 'x-custom': 'yes' })).toEqual([{ name: 'x-custom', expected: 'yes', actual: 'yes', ok: true }]);
  });
});

describe('certificate expiry math', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const from = new Date('2026-01-01T00:00:00Z');

  it('counts whole days, rounding down', () => {
    expect(daysUntil(new Date('2026-03-15T12:00:00Z'), now)).toBe(14);
    expect(daysUntil(new Date('2026-03-15T11:59:59Z'), now)).toBe(13);
    expect(daysUntil(new Date('2026-02-28T12:00:00Z'), now)).toBe(-1);
  });

  it('passes at exactly the minimum and fails one second short of it', () => {
    expect(assessCertificateValidity({ validFrom: from, validTo: new Date('2026-03-15T12:00:00Z') }, now, 14)).toMatchObject({ ok: true, daysLeft: 14 });
    const short = assessCertificateValidity({ validFrom: from, validTo: new Date('2026-03-15T11:59:59Z') }, now, 14);
    expect(short).toMatchObject({ ok: false, daysLeft: 13 });
    expect(short.detail).toMatch(/in 13 day\(s\): fewer than the 14 required/);
  });

  it('fails an expired certificate and one not yet valid', () => {
    expect(assessCertificateValidity({ validFrom: from, validTo: new Date('2026-03-01T11:00:00Z') }, now, 0)).toMatchObject({ ok: false });
    expect(assessCertificateValidity({ validFrom: from, validTo: new Date('2026-03-01T11:00:00Z') }, now, 0).detail).toMatch(/^expired on/);
    const future = assessCertificateValidity({ validFrom: new Date('2026-03-02T00:00:00Z'), validTo: new Date('2027-01-01T00:00:00Z') }, now, 14);
    expect(future).toMatchObject({ ok: false });
    expect(future.detail).toMatch(/not valid before/);
  });

  it('parses the date format node reports for peer certificates, and rejects garbage', () => {
    expect(parseCertificateDate('Mar  5 12:00:00 2027 GMT').toISOString()).toBe('2027-03-05T12:00:00.000Z');
    expect(() => parseCertificateDate('soon')).toThrow(RangeError);
  });
});

describe('checklist summary and rendering', () => {
  const results: CheckResult[] = [
    { id: 'status:/', name: 'HTTP 200 for /', status: 'pass', detail: '200 in 12 ms' },
    { id: 'header:x-frame-options', name: 'x-frame-options', status: 'fail', detail: 'expected "DENY"; on /: missing' },
    { id: 'distribution', name: 'distribution', status: 'skip', detail: 'no distribution to check' },
  ];

  it('fails the checklist when any item fails, and passes with only passes and skips', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    expect(buildChecklist('https://example.com/', at, results)).toMatchObject({ passed: false, checkedAt: '2026-03-01T12:00:00.000Z' });
    expect(buildChecklist('https://example.com/', at, [results[0], results[2]]).passed).toBe(true);
    expect(summarizeChecklist(buildChecklist('https://example.com/', at, results))).toEqual({ pass: 1, fail: 1, skip: 1, failed: ['header:x-frame-options'] });
  });

  it('renders one line per item with its mark', () => {
    const text = renderChecklist(buildChecklist('https://example.com/', new Date('2026-03-01T12:00:00Z'), results));
    expect(text.split('\n')).toEqual([
      'FAILED https://example.com/ at 2026-03-01T12:00:00.000Z: 1 passed, 1 failed, 1 skipped',
      '✓ status:/ — 200 in 12 ms',
      '✗ header:x-frame-options — expected "DENY"; on /: missing',
      '– distribution — no distribution to check',
    ]);
  });
});
