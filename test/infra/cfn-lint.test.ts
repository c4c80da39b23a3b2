import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every template `cdk synth` produces for the checked-in cdk.json passes cfn-lint without errors
 * (warnings are allowed). Runs the real CDK CLI, so it also proves synth works offline.
 */
test('cdk synth succeeds offline and cfn-lint finds no error in any template', () => {
  const out = mkdtempSync(join(tmpdir(), 'sitedr-synth-'));
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_EC2_METADATA_DISABLED: 'true' };
    const synth = spawnSync('npx', ['cdk', 'synth', '-q', '--output', out], { cwd: join(__dirname, '..', '..'), env, encoding: 'utf8' });
    expect({ status: synth.status, stderr: synth.status === 0 ? '' : synth.stderr }).toEqual({ status: 0, stderr: '' });
    const templates = readdirSync(out).filter((f) => f.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThanOrEqual(5);

    const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates.map((t) => join(out, t))], { encoding: 'utf8' });
    if (lint.error) throw new Error(`cfn-lint is not installed (${lint.error.message}): pip install -r requirements-dev.txt`);
    const errors = lint.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
    expect(errors).toEqual([]);
    // cfn-lint's exit code is a bit field: 2 = errors, 1 = it failed to run.
    expect(lint.status! & 3).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
