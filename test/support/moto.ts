import { spawn, ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto server (the real AWS HTTP APIs, in memory) started on a free loopback port. */
export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  readonly process: ChildProcess;
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `moto_server` and waits until it answers; throws with install instructions when it is missing. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.on('error', (err) =>
      reject(new Error(`cannot start moto_server (${err.message}); install it with: pip install -r requirements-dev.txt`)),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
      try {
        const res = await fetch(`${endpoint}/moto-api/`);
        if (res.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
  })();
  await Promise.race([ready, spawnError]);
  return { endpoint, pid: child.pid!, process: child };
}

/** Clears every bucket, object and resource moto holds. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
}
