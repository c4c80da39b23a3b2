import { startMoto } from './moto';

/**
 * Starts one moto server for the whole jest run. Its endpoint and pid travel in environment
 * variables, which the test workers (forked after this) inherit: no shared file, so parallel
 * jest runs on one machine each keep their own emulator.
 */
export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  // Neither the process nor its stderr pipe may keep jest alive after the run; teardown kills it by pid.
  moto.process.unref();
  (moto.process.stderr as import('node:net').Socket | null)?.unref();
  process.env.SITEDR_TEST_S3_ENDPOINT = moto.endpoint;
  process.env.SITEDR_TEST_MOTO_PID = String(moto.pid);
}
