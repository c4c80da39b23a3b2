/**
 * The local demo: the whole disaster-recovery story on this machine, no AWS account.
 *
 * Starts the S3/CloudFront emulator, creates the buckets as the stacks declare them, publishes a
 * sample site through two releases, backs it up, breaks it (an incident), then runs the real
 * synthesized Validate, Restore and Drill state machines with their real Lambda handlers, and
 * validates the restored site served by a local origin. Prints what happened and the drill
 * report, and stops everything it started.
 *
 *   npx ts-node --transpile-only local/demo.ts [--env prod|staging|dev] [--keep]
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Checklist } from '../lambda/core/checklist';
import { renderChecklist } from '../lambda/core/checklist';
import { startMoto } from '../test/support/moto';
import { startLocalOrigin } from './origin';
import { createLocalWorld, localConfig, RunbookRun, runRunbook, synthesizeRunbooks } from './runbooks';
import { corrupt, publish, sampleSite } from './sample-site';

const args = process.argv.slice(2);
const envName = (args[args.indexOf('--env') + 1] as 'prod' | 'staging' | 'dev' | undefined) ?? 'prod';
if (args.includes('--env') && !['prod', 'staging', 'dev'].includes(envName)) {
  console.error(`--env: expected prod, staging or dev, got ${envName}`);
  process.exit(2);
}

const say = (text = '') => console.log(text);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);
const indent = (text: string, by = '   ') => text.split('\n').map((l) => by + l).join('\n');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mustSucceed(run: RunbookRun, what: string): void {
  if (run.status !== 'SUCCEEDED') {
    throw new Error(`${what} ended ${run.status}: ${run.error ?? ''} ${run.cause ?? ''}`);
  }
}

function checklistLine(c: Checklist): string {
  const failed = c.results.filter((r) => r.status === 'fail');
  return c.passed ? `PASSED (${c.results.filter((r) => r.status === 'pass').length} checks)` : `FAILED: ${failed.map((r) => r.id).join(', ')}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  say('Static-site disaster recovery: local demo (no AWS account; S3 and CloudFront emulated by moto)');
  const moto = await startMoto();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // Clients are made after the endpoint is set: the SDK reads AWS_ENDPOINT_URL when a client is created.
  const { createS3Client } = await import('../lambda/aws/client');
  const s3: S3Client = createS3Client();
  const cloudfront = new CloudFrontClient({});
  // The sample site's critical paths: every validation requires them to answer 200.
  const config = localConfig(envName, 'demo', { criticalPaths: ['/', '/about/', '/blog/first-post.html'] });
  const origin = await startLocalOrigin({ s3, bucket: config.bucketNames.content });
  try {
    const world = await createLocalWorld(s3, cloudfront, config, { siteUrl: origin.url });
    say(`   environment ${config.name} (tier ${config.tier.tier}: RTO < ${config.tier.rtoMinutes} min, RPO < ${config.tier.rpoMinutes} min)`);
    say(`   content ${world.buckets.content} (versioned), replica ${world.buckets.replica}, vault ${world.buckets.vault} (Object Lock ${config.vault.objectLockMode}), drill ${world.buckets.drill}`);
    say(`   the site is served at ${origin.url} by a local origin with the CloudFront security headers`);

    step(1, 'Synthesize the CDK app and extract the runbook state machines');
    const runbooks = synthesizeRunbooks(config);
    say(`   ${[...runbooks.machines.keys()].join(', ')}`);

    step(2, 'Deploy release v1, record it with the Backup runbook (release mode), then deploy v2 and back up');
    await publish(s3, world.buckets.content, sampleSite('v1'));
    const release = await runRunbook(world, runbooks, 'backup', { mode: 'release', release: { id: 'v1', commit: 'a1b2c3d' }, requestedBy: 'deploy pipeline' });
    mustSucceed(release, 'backup (release v1)');
    say(`   release v1: snapshot ${release.output.outcome.snapshot.id}, ${release.output.outcome.release.files} files, validated and marked good`);
    await publish(s3, world.buckets.content, sampleSite('v2'));
    const backup = await runRunbook(world, runbooks, 'backup', {});
    mustSucceed(backup, 'backup');
    const snap = backup.output.outcome.snapshot;
    say(`   snapshot ${snap.id}: ${snap.count} objects, ${snap.copied} copied, ${snap.reused} reused from the previous snapshot (incremental), verified`);

    await pause(1100); // the emulator's version timestamps have one-second resolution
    const beforeIncident = new Date().toISOString();
    await pause(1100);
    step(3, `Incident at ${new Date().toISOString()}: pages overwritten, assets deleted`);
    const damage = await corrupt(s3, world.buckets.content);
    say(`   corrupted ${damage.corrupted.join(', ')}; deleted ${damage.deleted.join(', ')}`);

    step(4, 'Validate runbook: the site over HTTP');
    const broken = await runRunbook(world, runbooks, 'validate', {});
    if (broken.status !== 'FAILED') throw new Error('validation of the broken site should have failed');
    const brokenReport = await readJson(s3, broken.report!.reportUrl);
    say(`   ${broken.status} (${broken.error}): ${checklistLine(brokenReport.outcome.validation)}`);
    say(`   the failure report and an incident notification went out: "${broken.notifications[0]?.subject}"`);

    step(5, `Restore runbook: point in time ${beforeIncident} (just before the incident)`);
    const restore = await runRunbook(
      world,
      runbooks,
      'restore',
      { source: { type: 'pointInTime', at: beforeIncident }, reason: 'Incident: site defaced, assets deleted', requestedBy: 'on-call engineer' },
      { approval: 'approve' },
    );
    mustSucceed(restore, 'restore');
    const o = restore.output.outcome;
    if (restore.notifications.some((n) => n.stateName === 'RequestApproval')) say('   approval requested (SNS, task token) and granted: `sitedr approve <token>`');
    say(indent(o.plan.diff));
    const totals = o.executed.reduce((t: { copied: number; verified: number }, b: { copied: number; verified: number }) => ({ copied: t.copied + b.copied, verified: t.verified + b.verified }), { copied: 0, verified: 0 });
    say(`   executed: ${totals.copied} copies (new versions; nothing deleted), ${totals.verified} keys verified against the plan`);
    say(`   CloudFront invalidations (primary and standby): ${o.invalidation.invalidations.map((i: { invalidationId: string }) => i.invalidationId).join(', ')}: ${o.invalidation.status}`);
    say('   validation of the restored site:');
    say(indent(renderChecklist(o.validation), '     '));
    const report = await readJson(s3, restore.output.report.reportUrl);
    say(`   measured: RTO ${report.rto.minutes} min (target < ${report.rto.targetMinutes}), RPO ${report.rpo.minutes} min (target < ${report.rpo.targetMinutes})`);
    say(`   undo: ${report.undo.command}`);
    say(`   report: ${restore.output.report.markdownUrl}`);

    step(6, 'Drill runbook: restore the newest snapshot into the isolated drill bucket and measure');
    const drill = await runRunbook(world, runbooks, 'drill', {});
    mustSucceed(drill, 'drill');
    const drillReport = await readText(s3, drill.output.report.markdownUrl);
    say(indent(drillReport.trim(), '   │ '));

    say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s: the site was restored, verified and validated; the drill met its objectives.`);
  } finally {
    await origin.close();
    s3.destroy();
    cloudfront.destroy();
    if (args.includes('--keep')) say(`emulator left running at ${moto.endpoint} (pid ${moto.pid})`);
    else moto.process.kill('SIGTERM');
  }
}

async function readText(s3: S3Client, url: string): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error(`not an s3 URL: ${url}`);
  const res = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return res.Body!.transformToString();
}

async function readJson(s3: S3Client, url: string) {
  return JSON.parse(await readText(s3, url));
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
