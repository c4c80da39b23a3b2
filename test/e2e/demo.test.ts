import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The README's first command runs this; CI checks that its story still holds end to end. */
test('the local demo restores the site, validates it, and the drill meets its objectives', () => {
  const demo = spawnSync('npx', ['ts-node', '--transpile-only', 'local/demo.ts'], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    // The demo starts its own emulator; it must not inherit the test run's endpoint.
    env: { ...process.env, AWS_ENDPOINT_URL: '', SITEDR_TEST_S3_ENDPOINT: '', NODE_NO_WARNINGS: '1' },
    timeout: 180_000,
  });
  const out = demo.stdout;
  expect({ status: demo.status, stderr: demo.stderr }).toEqual({ status: 0, stderr: '' });
  // The incident is seen, the restore plan copies back exactly what the incident broke, and the result is validated.
  expect(out).toMatch(/4\. Validate runbook[\s\S]*FAILED \(ValidationFailed\): FAILED: status:\/blog\/first-post\.html/);
  expect(out).toMatch(/5 to copy .*, 0 to hide, 0 to unhide, 2 unchanged/);
  expect(out).toMatch(/executed: 5 copies \(new versions; nothing deleted\), 5 keys verified against the plan/);
  expect(out).toMatch(/PASSED http:\/\/127\.0\.0\.1:\d+\/ .*: \d+ passed, 0 failed/);
  expect(out).toMatch(/measured: RTO [\d.]+ min \(target < 60\), RPO [\d.]+ min \(target < 15\)/);
  expect(out).toMatch(/undo: sitedr run restore --env prod --undo s3:\/\/demo-prod-vault-.*\/undo\.jsonl/);
  // The drill report: objectives met, every object verified, a timeline.
  expect(out).toMatch(/│ \| RTO \| [\d.]+ min \| < 60 min \| ✅ met \|/);
  expect(out).toMatch(/│ \| RPO \| [\d.]+ min \| < 15 min \| ✅ met \|/);
  expect(out).toMatch(/│ 7 copied .* 7 keys verified against the plan\./);
  expect(out).toMatch(/│ ```mermaid\n\s+│ gantt/);
  expect(out).toMatch(/^Done in [\d.]+ s: the site was restored, verified and validated; the drill met its objectives\.$/m);
});
