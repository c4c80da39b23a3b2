import { randomBytes } from 'node:crypto';
import { Agent, IncomingMessage, ServerResponse, createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { s3OperationName } from './s3-operation';

/** Faults injected in front of the emulator. Rates are probabilities per request, drawn from a seeded PRNG. */
export interface S3ProxyFaults {
  /** Share of requests answered `503 SlowDown` by the proxy itself (never forwarded). @default 0 */
  readonly slowDownRate?: number;
  /** Share of requests whose connection is destroyed before any answer (never forwarded). @default 0 */
  readonly resetRate?: number;
  /** Delay added before every forwarded request, in milliseconds. @default 0 */
  readonly latencyMs?: number;
  /** Seed of the PRNG that picks the faulted requests, so a run is reproducible. @default 1 */
  readonly seed?: number;
}

export interface S3ProxyOptions {
  /** Base URL of the real S3 API to forward to, e.g. the moto endpoint. */
  readonly target: string;
  readonly faults?: S3ProxyFaults;
}

export interface S3Proxy {
  /** `http://127.0.0.1:PORT`: point an SDK (or AWS_ENDPOINT_URL_S3) here. */
  readonly endpoint: string;
  /** Requests received per S3 operation since start or the last reset(), faulted ones included. */
  counts(): Record<string, number>;
  /** Sum of counts(). */
  total(): number;
  /** Zeroes the counters (the fault sequence carries on). */
  reset(): void;
  close(): Promise<void>;
}

// Headers that describe one hop of the connection, not the request (RFC 9110 §7.6.1). `expect` is
// answered by this server already (Node sends the 100 Continue), so it is not repeated upstream.
// `transfer-encoding` is kept: Node re-frames the body in chunks when it sees it.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']);

/**
 * Starts a reverse proxy in front of an S3 API that counts requests by operation and can inject
 * throttling, connection resets and latency. Requests are forwarded byte for byte, including the
 * Host header the client signed, so SigV4 signatures stay as valid as they were.
 *
 * The emulator's own control plane (`/moto-api/...`) is forwarded untouched: never faulted, never
 * delayed, never counted, so tests can reset state through the proxy without noise.
 */
export async function startS3Proxy(opts: S3ProxyOptions): Promise<S3Proxy> {
  const target = new URL(opts.target);
  const faults = opts.faults ?? {};
  const slowDownRate = faults.slowDownRate ?? 0;
  const resetRate = faults.resetRate ?? 0;
  const latencyMs = faults.latencyMs ?? 0;
  if (slowDownRate < 0 || resetRate < 0 || slowDownRate + resetRate > 1) {
    throw new Error(`fault rates must be >= 0 and sum to at most 1 (slowDownRate ${slowDownRate}, resetRate ${resetRate})`);
  }
  const random = mulberry32(faults.seed ?? 1);
  // Reuse connections to the emulator: opening one per request would dominate the timings.
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  let counts: Record<string, number> = {};

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/moto-api')) {
      forward(req, res, target, agent);
      return;
    }
    const operation = s3OperationName(req.method ?? 'GET', url, req.headers);
    counts[operation] = (counts[operation] ?? 0) + 1;

    // One draw per request decides its fate, so the fault sequence depends only on the seed and arrival order.
    const draw = random();
    if (draw < slowDownRate) {
      slowDown(req, res);
    } else if (draw < slowDownRate + resetRate) {
      req.socket.destroy();
    } else if (latencyMs > 0) {
      req.pause();
      setTimeout(() => forward(req, res, target, agent), latencyMs);
    } else {
      forward(req, res, target, agent);
    }
  });
  // Idle keep-alive sockets from SDK clients must not hold close() open.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = {};
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** Streams one request to the target and its response back, unchanged apart from hop-by-hop headers. */
function forward(req: IncomingMessage, res: ServerResponse, target: URL, agent: Agent): void {
  const upstream = httpRequest(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: withoutHopByHop(req.rawHeaders),
      agent,
    },
    (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, withoutHopByHop(upRes.rawHeaders));
      upRes.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (res.headersSent) {
      res.destroy(err);
    } else {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`s3-proxy: upstream error: ${err.message}`);
    }
  });
  // A client that gives up (timeout, abort) must not leave the upstream request running.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Answers like S3 does when it throttles: 503 with an XML error body the SDKs parse as `SlowDown`. */
function slowDown(req: IncomingMessage, res: ServerResponse): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>s3-proxy</HostId></Error>`;
  // Read the request body to its end first, so the client is not cut off mid-upload and keep-alive survives.
  req.resume();
  req.on('end', () => {
    res.writeHead(503, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
      'x-amz-request-id': requestId,
    });
    // HEAD responses carry no body; the SDK then names the error from the status code.
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

function withoutHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
  }
  return out;
}

/** A small, fast, seedable PRNG (public domain); uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
