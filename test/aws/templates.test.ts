/**
 * Template backup against moto: CloudFormation stacks made from tiny templates (moto stores the
 * original body and returns it from GetTemplate), and a vault bucket with Object Lock like the
 * VaultStack's.
 */
import { CloudFormationClient, CreateStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { backupTemplates } from '../../lambda/aws/templates';
import { createVault, readBody, testClient } from '../support/s3';

const cfn = new CloudFormationClient({ region: 'us-east-1' });
let s3: S3Client;

beforeAll(() => {
  s3 = testClient();
});
afterAll(() => {
  cfn.destroy();
  s3.destroy();
});

function template(topics: string[]): string {
  return JSON.stringify({ Resources: Object.fromEntries(topics.map((t) => [t, { Type: 'AWS::SNS::Topic' }])) }, null, 1);
}

async function stack(label: string, body: string): Promise<string> {
  const name = `${label}-${randomBytes(3).toString('hex')}`;
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body }));
  return name;
}

async function keys(vault: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: 'templates/' }));
  return (res.Contents ?? []).map((c) => c.Key!).sort();
}

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

test('the first backup stores each template, the second stores nothing, a changed template stores one', async () => {
  const vault = await createVault(s3, 'tplvault');
  const siteBody = template(['Site']);
  const site = await stack('Site', siteBody);
  const replica = await stack('Replica', template(['Replica']));

  const first = await backupTemplates(cfn, s3, { stackNames: [site, replica], vault, now: new Date('2025-01-05T10:00:00.000Z') });
  expect(first).toEqual([
    { stackName: site, key: `templates/${site}/2025-01-05T10:00:00.000Z.json`, sha256: sha(siteBody), changed: true },
    { stackName: replica, key: `templates/${replica}/2025-01-05T10:00:00.000Z.json`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), changed: true },
  ]);
  expect(await keys(vault)).toEqual(first.map((b) => b.key).sort());
  expect((await readBody(s3, vault, first[0].key)).toString('utf8')).toBe(siteBody);
  const head = await s3.send(new HeadObjectCommand({ Bucket: vault, Key: first[0].key, ChecksumMode: 'ENABLED' }));
  expect(head.Metadata).toEqual({ sha256: sha(siteBody) });
  expect(head.ChecksumSHA256).toBe(createHash('sha256').update(siteBody, 'utf8').digest('base64'));
  expect(head.ContentType).toBe('application/json');

  const second = await backupTemplates(cfn, s3, { stackNames: [site, replica], vault, now: new Date('2025-01-06T10:00:00.000Z') });
  expect(second.map((b) => b.changed)).toEqual([false, false]);
  expect(second.map((b) => b.key)).toEqual(first.map((b) => b.key));
  expect(await keys(vault)).toHaveLength(2);

  const changedBody = template(['Site', 'Extra']);
  await cfn.send(new UpdateStackCommand({ StackName: site, TemplateBody: changedBody }));
  const third = await backupTemplates(cfn, s3, { stackNames: [site, replica], vault, now: new Date('2025-01-07T10:00:00.000Z') });
  expect(third).toEqual([
    { stackName: site, key: `templates/${site}/2025-01-07T10:00:00.000Z.json`, sha256: sha(changedBody), changed: true },
    { stackName: replica, key: first[1].key, sha256: first[1].sha256, changed: false },
  ]);
  expect(await keys(vault)).toHaveLength(3);

  // The comparison is against the NEWEST stored template: going back to the first body is a change too.
  await cfn.send(new UpdateStackCommand({ StackName: site, TemplateBody: siteBody }));
  const fourth = await backupTemplates(cfn, s3, { stackNames: [site], vault, now: new Date('2025-01-08T10:00:00.000Z') });
  expect(fourth[0]).toMatchObject({ changed: true, sha256: sha(siteBody) });
});

test('a stack that does not exist is NotFound naming its index, and nothing is written', async () => {
  const vault = await createVault(s3, 'tplvault');
  const site = await stack('Site', template(['Site']));
  await expect(backupTemplates(cfn, s3, { stackNames: [site, 'NoSuchStack'], vault, now: new Date() })).rejects.toMatchObject({ name: 'NotFound', field: 'stackNames[1]' });
  expect(await keys(vault)).toEqual([]);
});

test('a missing vault is NotFound naming vault', async () => {
  const site = await stack('Site', template(['Site']));
  await expect(backupTemplates(cfn, s3, { stackNames: [site], vault: `missing-${randomBytes(4).toString('hex')}`, now: new Date() })).rejects.toMatchObject({ name: 'NotFound', field: 'vault' });
});

test('bad input is refused naming the field', async () => {
  const vault = 'v';
  await expect(backupTemplates(cfn, s3, { stackNames: [], vault, now: new Date() })).rejects.toMatchObject({ name: 'InvalidInput', field: 'stackNames' });
  await expect(backupTemplates(cfn, s3, { stackNames: ['ok', '1bad'], vault, now: new Date() })).rejects.toMatchObject({ name: 'InvalidInput', field: 'stackNames[1]' });
  await expect(backupTemplates(cfn, s3, { stackNames: ['a', 'a'], vault, now: new Date() })).rejects.toMatchObject({ name: 'InvalidInput', field: 'stackNames' });
  await expect(backupTemplates(cfn, s3, { stackNames: ['a'], vault, now: new Date('x') })).rejects.toMatchObject({ name: 'InvalidInput', field: 'now' });
});
