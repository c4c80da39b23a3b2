#!/usr/bin/env node
/** The operator CLI (break-glass path): `npm run sitedr -- --help`. */
import { runCli } from '../cli/main';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sitedr: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
