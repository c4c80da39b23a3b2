import { readFileSync, rmSync } from 'node:fs';
import { MOTO_STATE_FILE } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  try {
    const { pid } = JSON.parse(readFileSync(MOTO_STATE_FILE, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(MOTO_STATE_FILE, { force: true });
}
