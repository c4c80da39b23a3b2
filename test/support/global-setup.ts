import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto } from './moto';

/** Where the running emulator's endpoint and pid are handed to test workers and teardown. */
export const MOTO_STATE_FILE = join(__dirname, '..', '..', 'node_modules', '.cache', 'sitedr-moto.json');

export default async function globalSetup(): Promise<void> {
  const moto = await startMoto();
  moto.process.unref();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(MOTO_STATE_FILE, '..'), { recursive: true });
  writeFileSync(MOTO_STATE_FILE, JSON.stringify({ endpoint: moto.endpoint, pid: moto.pid }));
  process.env.SITEDR_TEST_S3_ENDPOINT = moto.endpoint;
}
