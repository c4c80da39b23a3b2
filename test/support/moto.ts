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
  // `python3 -m moto.server` rather than the `moto_server` script: it works wherever pip put moto,
  // without relying on a console script being on PATH (pyenv shims need a rehash after install).
  const python = process.env.SITEDR_PYTHON ?? 'python3';
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.on('error', (err) =>
      reject(new Error(`cannot start ${python} -m moto.server (${err.message}); install moto with: pip install -r requirements-dev.txt`)),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode} (is moto installed? pip install -r requirements-dev.txt): ${stderr}`);
      try {
        const res = await fetch(`${endpoint}/moto-api/`);
        if (res.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto server did not answer on ${endpoint} within 30 s: ${stderr}`);
  })();
  await Promise.race([ready, spawnError]);
  return { endpoint, pid: child.pid!, process: child };
}

/** Clears every bucket, object and resource moto holds. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
}
