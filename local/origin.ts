/**
 * A local stand-in for CloudFront in front of the content bucket: serves the bucket's current
 * objects over HTTP with the site contract's security headers, folder paths mapped to their
 * index.html by the same rule as the distributions' CloudFront Function, and a missing key
 * answered with /404.html and status 404. The demo and the runbook tests validate the
 * restored site through it, with the same validator the Validate runbook runs in AWS.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { NOT_FOUND_PAGE, objectKeyFor, SECURITY_HEADERS } from '../lambda/shared/site-contract';

export interface LocalOriginOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /**
   * Headers sent with every response; the site contract's by default. Tests pass others to
   * prove the validation notices.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LocalOrigin {
  readonly url: string;
  /** Requests served so far, by path. */
  readonly requests: string[];
  close(): Promise<void>;
}


async function read(s3: S3Client, bucket: string, key: string): Promise<{ body: Buffer; contentType: string } | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { body: Buffer.from(await res.Body!.transformToByteArray()), contentType: res.ContentType ?? 'application/octet-stream' };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied') return undefined;
    throw err;
  }
}

export async function startLocalOrigin(opts: LocalOriginOptions): Promise<LocalOrigin> {
  const headers = opts.headers ?? SECURITY_HEADERS;
  const requests: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '/');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const found = await read(opts.s3, opts.bucket, objectKeyFor(decodeURIComponent(req.url ?? '/')));
    const page = found ?? (await read(opts.s3, opts.bucket, NOT_FOUND_PAGE.slice(1)));
    const status = found ? 200 : 404;
    res.writeHead(status, { 'content-type': page?.contentType ?? 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : (page?.body ?? 'Not Found'));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(`origin error: ${err.message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
