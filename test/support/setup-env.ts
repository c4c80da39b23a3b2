// Every SDK client in tests talks to the emulator, never to AWS, with throwaway credentials.
if (process.env.SITEDR_TEST_S3_ENDPOINT) process.env.AWS_ENDPOINT_URL = process.env.SITEDR_TEST_S3_ENDPOINT;
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
delete process.env.AWS_PROFILE;

// Handlers log and emit metrics as they would in Lambda; in tests that is noise, not evidence.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
