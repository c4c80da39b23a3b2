/**
 * The Distributed Map path of the restore runbook (plans above the inline batch limit), which the
 * local runner cannot execute (it ignores ItemReader). Proved in three parts:
 * 1. the real plan task, with a tiny inline limit, stores the batches and an index and returns
 *    no inline batches, so the definition routes to ExecuteBatchesDistributed;
 * 2. the synthesized ItemReader reads exactly that index (bucket and key path), and moto's own
 *    executor, given the synthesized ItemReader and ItemSelector, turns the index into the items
 *    we expect;
 * 3. the synthesized ItemProcessor, run locally once per item with the real execute-batch
 *    handler, leaves the bucket in the planned state.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { BatchRef } from '../../lambda/aws/plan-batches';
import { handler as executeBatch } from '../../lambda/handlers/execute-batch';
import { AnyState } from '../../local/asl';
import { runOnMoto, runStateMachine } from '../../local/local-sfn';
import { runRunbook } from '../../local/runbooks';
import { corrupt, publish, sampleSite } from '../../local/sample-site';
import { asContents, contents, ending } from './runs';
import { pause, setUpWorld, TestWorld } from './world';

let t: TestWorld;
let v1At: string;
beforeAll(async () => {
  t = await setUpWorld('e2edmap');
  await publish(t.s3, t.world.buckets.content, sampleSite('v1'));
  await pause(1100);
  v1At = new Date().toISOString();
  await pause(1100);
  await corrupt(t.s3, t.world.buckets.content);
});
afterAll(() => t.close());

/** Batches of 2 and at most 1 inline: the 5 operations of the incident need 3 batches, so the index. */
const tinyLimits = { SITEDR_BATCH_SIZE: '2', SITEDR_INLINE_BATCH_LIMIT: '1' };
const input = () => ({ source: { type: 'pointInTime', at: v1At }, reason: 'restore a site too large for inline batches', requestedBy: 'oncall@example.com' });
const distributedState = () => (t.runbooks.machines.get(`${t.world.config.prefix}-restore`)!.definition as unknown as { States: Record<string, AnyState> }).States.ExecuteBatchesDistributed;

it('a plan above the inline limit is routed to ExecuteBatchesDistributed, never to the inline Map', async () => {
  const run = await runRunbook(t.world, t.runbooks, 'restore', input(), { settings: tinyLimits });
  // What happens inside the state locally proves nothing (the runner ignores ItemReader); the routing does.
  expect(run.visitedStates).toContain('ExecuteBatchesDistributed');
  expect(run.visitedStates).not.toContain('ExecuteBatches');
  expect(run.visitedStates).not.toContain('ExecuteBatch');
});

it('the plan index is what the ItemReader reads, moto turns it into the items, and the ItemProcessor with the real handler restores the planned state', async () => {
  const { s3, world } = t;
  // A dry run stops after the plan task: the plan, its batches and the index are stored all the same.
  const dry = await runRunbook(world, t.runbooks, 'restore', { ...input(), dryRun: true }, { settings: tinyLimits });
  expect(ending(dry)).toEqual({ status: 'SUCCEEDED' });
  const plan = dry.output.outcome.plan;
  expect(plan).toMatchObject({ operations: 5, batches: null, batchCount: 3, batchIndex: { bucket: world.buckets.vault } });

  // The index lists every batch, and the batches cover every operation once.
  const index = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: plan.batchIndex.bucket, Key: plan.batchIndex.key }))).Body!.transformToString()) as BatchRef[];
  expect(index.map((b) => b.index)).toEqual([0, 1, 2]);
  expect(index.map((b) => b.operations)).toEqual([2, 2, 1]);

  // The synthesized state reads exactly that object: the vault, at the key the plan task returned.
  const state = distributedState();
  expect(state.ItemReader).toEqual({
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'JSON' },
    Parameters: { Bucket: world.buckets.vault, 'Key.$': '$.outcome.plan.batchIndex.key' },
  });
  expect(state.ItemSelector).toEqual({ 'batch.$': '$$.Map.Item.Value' });

  // moto's executor runs the synthesized ItemReader and ItemSelector (the processor replaced by a
  // Pass, since moto cannot invoke our Lambda) on the run's own state: the items are the index's batches.
  const processor = state.ItemProcessor as { ProcessorConfig: unknown; StartAt: string; States: Record<string, AnyState> };
  const probe = {
    StartAt: 'ExecuteBatchesDistributed',
    States: {
      ExecuteBatchesDistributed: {
        Type: 'Map',
        ItemReader: state.ItemReader,
        ItemSelector: state.ItemSelector,
        MaxConcurrency: state.MaxConcurrency,
        ItemProcessor: { ProcessorConfig: processor.ProcessorConfig, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  };
  const onMoto = await runOnMoto(probe, { outcome: dry.output.outcome });
  expect(onMoto.status).toBe('SUCCEEDED');
  const items = onMoto.output as Array<{ batch: BatchRef }>;
  expect(items).toEqual(index.map((batch) => ({ batch })));

  // Each item through the synthesized ItemProcessor, locally, with the real execute-batch handler.
  const { ProcessorConfig: _mode, ...subDefinition } = processor;
  expect(Object.keys(subDefinition.States)).toEqual(['ExecuteBatchDistributed']);
  const saved = process.env.SITEDR_CONCURRENCY;
  process.env.SITEDR_CONCURRENCY = t.runbooks.environments.get('execute-batch')!.SITEDR_CONCURRENCY;
  try {
    const results = [];
    for (const item of items) {
      const run = await runStateMachine(subDefinition as never, item, { handlers: { ExecuteBatchDistributed: executeBatch } });
      expect(ending(run)).toEqual({ status: 'SUCCEEDED' });
      results.push(run.output);
    }
    // What each iteration outputs is the batch's counts, which the report adds up.
    expect(results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(results.reduce((n, r) => n + r.copied, 0)).toBe(5);
  } finally {
    if (saved === undefined) delete process.env.SITEDR_CONCURRENCY;
    else process.env.SITEDR_CONCURRENCY = saved;
  }
  expect(await contents(s3, world.buckets.content)).toEqual(asContents(sampleSite('v1')));
});
