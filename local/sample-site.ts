/**
 * A small static site to publish into a bucket: pages that link to each other and to assets, a
 * 404 page, and a release marker in the index so validation can tell versions apart.
 */
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface SiteFile {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl?: string;
}

/** The files of release `version` of the sample site. */
export function sampleSite(version: string): SiteFile[] {
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/assets/site.css"></head>` +
    `<body><nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/blog/first-post.html">Blog</a></nav>${body}` +
    `<script src="/assets/app.js"></script></body></html>`;
  return [
    { key: 'index.html', body: page('Home', `<h1>Welcome</h1><p>release ${version}</p><img src="/assets/logo.svg" alt="logo">`), contentType: 'text/html; charset=utf-8', cacheControl: 'max-age=60' },
    { key: 'about/index.html', body: page('About', `<h1>About us</h1><p>release ${version}</p>`), contentType: 'text/html; charset=utf-8', cacheControl: 'max-age=60' },
    { key: 'blog/first-post.html', body: page('First post', `<h1>First post</h1><p>Written for ${version}.</p>`), contentType: 'text/html; charset=utf-8', cacheControl: 'max-age=60' },
    { key: '404.html', body: page('Not found', '<h1>Page not found</h1>'), contentType: 'text/html; charset=utf-8', cacheControl: 'max-age=10' },
    { key: 'assets/site.css', body: `body{font-family:sans-serif} /* ${version} */`, contentType: 'text/css', cacheControl: 'max-age=31536000, immutable' },
    { key: 'assets/app.js', body: `console.log(${JSON.stringify(version)});`, contentType: 'application/javascript', cacheControl: 'max-age=31536000, immutable' },
    { key: 'assets/logo.svg', body: `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>${version}</title></svg>`, contentType: 'image/svg+xml' },
  ];
}

export async function publish(s3: S3Client, bucket: string, files: readonly SiteFile[]): Promise<void> {
  for (const f of files) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body, ContentType: f.contentType, CacheControl: f.cacheControl }));
  }
}

/** What an incident looks like: pages overwritten with garbage, assets deleted. */
export async function corrupt(s3: S3Client, bucket: string): Promise<{ corrupted: string[]; deleted: string[] }> {
  const corrupted = ['index.html', 'about/index.html'];
  const deleted = ['assets/site.css', 'assets/app.js', 'blog/first-post.html'];
  for (const key of corrupted) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '<h1>h4cked</h1>', ContentType: 'text/html' }));
  for (const key of deleted) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return { corrupted, deleted };
}
