/** The one place S3 clients are made, so the CLI, the handlers and the tests configure them alike. */
import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The endpoint override the SDK will use, if any (AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL). */
export function endpointOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

export interface S3ClientOptions {
  /** Overrides the endpoint from the environment. */
  readonly endpoint?: string;
  /** Sockets per client; at least the executor's concurrency so operations do not queue. @default 256 */
  readonly maxSockets?: number;
  /** SDK-level attempts per call (the executor adds its own retries around whole operations). @default 3 */
  readonly maxAttempts?: number;
  /** The bucket's region (the CLI reaches a vault in another region than the SDK default). @default the SDK's */
  readonly region?: string;
}

export function createS3Client(opts: S3ClientOptions = {}): S3Client {
  const endpoint = opts.endpoint ?? endpointOverride();
  const maxSockets = opts.maxSockets ?? 256;
  const config: S3ClientConfig = {
    maxAttempts: opts.maxAttempts ?? 3,
    ...(opts.region ? { region: opts.region } : {}),
    requestHandler: new NodeHttpHandler({ httpAgent: { maxSockets, keepAlive: true }, httpsAgent: { maxSockets, keepAlive: true } }),
  };
  if (endpoint) {
    config.endpoint = endpoint;
    // Emulators and VPC endpoints serve buckets under the path, not as subdomains.
    config.forcePathStyle = true;
  }
  const client = new S3Client(config);
  if (endpoint && isLoopback(endpoint)) addEmulatorCompat(client);
  return client;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * moto refuses a copy into an Object Lock bucket unless the request carries Content-MD5 or
 * `x-amz-sdk-checksum-algorithm`, which the SDK only sends on uploads; real S3 needs neither for a
 * copy. Only for a local emulator, copies that ask for a checksum also carry that header.
 */
function addEmulatorCompat(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ChecksumAlgorithm?: string; CopySource?: string };
      const request = args.request as { headers?: Record<string, string> };
      if (context.commandName === 'CopyObjectCommand' && input.ChecksumAlgorithm && request.headers) {
        request.headers['x-amz-sdk-checksum-algorithm'] = input.ChecksumAlgorithm;
      }
      return next(args);
    },
    { step: 'build', name: 'sitedrEmulatorObjectLockCopy' },
  );
}
