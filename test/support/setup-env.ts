// aws-local-stepfunctions needs Promise.withResolvers (Node 22); this machine runs Node 20.
if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// Every SDK client in tests talks to the emulator, never to AWS, with throwaway credentials.
if (process.env.SITEDR_TEST_S3_ENDPOINT) process.env.AWS_ENDPOINT_URL = process.env.SITEDR_TEST_S3_ENDPOINT;
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
delete process.env.AWS_PROFILE;

// Handlers log and emit metrics as they would in Lambda; in tests that is noise, not evidence.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
