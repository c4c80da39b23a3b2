/**
 * What the site stack promises about every response, in one place: the CDK
 * response headers policy is built from it and the validation runbook checks
 * responses against it, so the two cannot drift apart.
 */

/** Header name (lowercase, as Node's fetch exposes them) -> exact expected value. */
export const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
} as const;

/** HSTS max-age in seconds, matching SECURITY_HEADERS['strict-transport-security']. */
export const HSTS_MAX_AGE_SECONDS = 31536000;

/** The page served, with status 404, for a missing object (S3 answers 403 for a missing key without ListBucket). */
export const NOT_FOUND_PAGE = '/404.html';

/** The document served for `/`. */
export const INDEX_DOCUMENT = 'index.html';

/**
 * How a request path maps to an object key: `/` and every path ending in `/` serve that folder's
 * index document (CloudFront's default root object covers `/` only). The CloudFront Function on
 * both distributions and the local origin apply this same rule.
 */
export function objectKeyFor(path: string): string {
  const clean = path.split('?')[0].replace(/^\/+/, '');
  return clean === '' || clean.endsWith('/') ? `${clean}${INDEX_DOCUMENT}` : clean;
}

/** The CloudFront Function (viewer request, cloudfront-js-2.0) implementing objectKeyFor on the URI. */
export const DIRECTORY_INDEX_FUNCTION = `function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) request.uri += '${INDEX_DOCUMENT}';
  return request;
}`;
