import { startMoto } from './moto';

/**
 * Starts one moto server for the whole jest run. Its endpoint and pid travel in environment
 * variables, which the test workers (forked after this) inherit: no shared file, so parallel
 * jest runs on one machine each keep their own emulator.
 */
export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  moto.process.unref();
  process.env.SITEDR_TEST_S3_ENDPOINT = moto.endpoint;
  process.env.SITEDR_TEST_MOTO_PID = String(moto.pid);
}
