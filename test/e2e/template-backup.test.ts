/**
 * The template-backup runbook end to end against moto's CloudFormation: the stacks the runbook
 * stack names (SITEDR_STACK_NAMES, in their own regions) are created with tiny templates; the
 * first run stores each template under templates/, the second stores nothing new.
 */
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { runRunbook } from '../../local/runbooks';
import { causeMessage, ending, FAILURE_FRAME, reportOf } from './runs';
import { keysUnder, setUpWorld, TestWorld, text } from './world';

let t: TestWorld;
let stacks: Array<{ name: string; region: string }>;
const clients = new Map<string, CloudFormationClient>();
const cfn = (region: string) => clients.get(region) ?? clients.set(region, new CloudFormationClient({ region })).get(region)!;
const template = (topics: string[]) => JSON.stringify({ Resources: Object.fromEntries(topics.map((id) => [id, { Type: 'AWS::SNS::Topic' }])) });

beforeAll(async () => {
  t = await setUpWorld('e2etmpl');
  // The stacks exactly as the deployed function would be told, not a list of our own.
  const names = t.runbooks.environments.get('backup-templates')!.SITEDR_STACK_NAMES;
  stacks = names.split(',').map((entry) => {
    const [name, region] = entry.split('@');
    return { name, region };
  });
  expect(new Set(stacks.map((s) => s.region)).size).toBeGreaterThan(1);
  for (const { name, region } of stacks) await cfn(region).send(new CreateStackCommand({ StackName: name, TemplateBody: template([`${name.replace(/[^A-Za-z0-9]/g, '')}Topic`]) }));
});
afterAll(async () => {
  for (const { name, region } of stacks) await cfn(region).send(new DeleteStackCommand({ StackName: name })).catch(() => undefined);
  for (const c of clients.values()) c.destroy();
  await t.close();
});

it('stores every stack template on the first run, nothing new on the second, and a changed one again', async () => {
  const first = await runRunbook(t.world, t.runbooks, 'template-backup', {});
  expect(ending(first)).toEqual({ status: 'SUCCEEDED' });
  expect(first.output.outcome.templates.changed).toBe(stacks.length);
  for (const { name } of stacks) {
    const keys = await keysUnder(t.s3, t.world.buckets.vault, `templates/${name}/`);
    expect(keys).toHaveLength(1);
    expect(JSON.parse(await text(t.s3, t.world.buckets.vault, keys[0])).Resources).toBeDefined();
  }
  const stored = await keysUnder(t.s3, t.world.buckets.vault, 'templates/');

  const second = await runRunbook(t.world, t.runbooks, 'template-backup', {});
  expect(ending(second)).toEqual({ status: 'SUCCEEDED' });
  expect(second.output.outcome.templates.changed).toBe(0);
  expect(await keysUnder(t.s3, t.world.buckets.vault, 'templates/')).toEqual(stored);

  // A deployment changes one stack: only that template is stored again.
  const changed = stacks[0];
  await cfn(changed.region).send(new UpdateStackCommand({ StackName: changed.name, TemplateBody: template(['One', 'Two']) }));
  const third = await runRunbook(t.world, t.runbooks, 'template-backup', {});
  expect(third.output.outcome.templates.changed).toBe(1);
  expect(await keysUnder(t.s3, t.world.buckets.vault, `templates/${changed.name}/`)).toHaveLength(2);
  expect((await reportOf(t, 'template-backup', third)).status).toBe('SUCCEEDED');
});

it('a stack that does not exist: NotFound in the failure report, the vault untouched', async () => {
  const stored = await keysUnder(t.s3, t.world.buckets.vault, 'templates/');
  const run = await runRunbook(t.world, t.runbooks, 'template-backup', {}, { settings: { SITEDR_STACK_NAMES: `${stacks[0].name}@${stacks[0].region},no-such-stack@${stacks[0].region}` } });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'NotFound' });
  expect(run.visitedStates).toEqual(['Prepare', 'StartOutcome', 'BackupTemplates', ...FAILURE_FRAME]);
  expect((await reportOf(t, 'template-backup', run)).error.cause).toContain('stack no-such-stack does not exist');
  expect(await keysUnder(t.s3, t.world.buckets.vault, 'templates/')).toEqual(stored);
});

it('bad input is rejected at Prepare', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'template-backup', { stacks: ['x'] });
  expect(ending(run)).toEqual({ status: 'FAILED', error: 'InvalidInput' });
  expect(causeMessage(run)).toMatch(/stacks/);
  expect(run.visitedStates).toEqual(['Prepare', 'Rejected']);
});
