/**
 * Rollback runbook, infrastructure_only: create change sets back to the templates the release was
 * deployed with, read their state, execute them (after approval), and follow the stack updates.
 * One handler, four small actions sharing clients and a role (like log-export).
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { z } from 'zod';
import { createS3Client } from '../aws/client';
import { changeSetStates, createRollbackChangeSets, executeChangeSets, stackStates } from '../aws/infra-rollback';
import { loadRelease } from '../aws/releases';
import { tracer } from '../shared/powertools';
import { runSchema } from '../shared/run';
import { parseInput } from '../shared/schemas';
import { SETTINGS, setting } from '../shared/settings';
import { stacksByRegion } from './backup-templates';

const s3 = tracer.captureAWSv3Client(createS3Client());
const clients = new Map<string, CloudFormationClient>();
const cfnIn = (region: string) => {
  if (!clients.has(region)) clients.set(region, tracer.captureAWSv3Client(new CloudFormationClient({ region })));
  return clients.get(region)!;
};

const changeSet = z.object({ stackName: z.string(), region: z.string(), changeSetName: z.string(), templateKey: z.string() });
const eventSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('plan'), run: runSchema, releaseId: z.string().min(1) }),
  z.object({ action: z.literal('status'), changeSets: z.array(changeSet) }),
  z.object({ action: z.literal('execute'), changeSets: z.array(changeSet.extend({ state: z.enum(['pending', 'ready', 'no-changes', 'failed']) })) }),
  z.object({ action: z.literal('stacks'), stacks: z.array(z.object({ stackName: z.string(), region: z.string() })) }),
]);

function summarize<T extends { state: string }>(items: T[], done: string[], failed: string[]) {
  return {
    items,
    done: items.every((i) => done.includes(i.state)),
    failed: items.some((i) => failed.includes(i.state)),
  };
}

export async function handler(event: unknown): Promise<unknown> {
  const request = parseInput(eventSchema, event);
  switch (request.action) {
    case 'plan': {
      const vault = setting(SETTINGS.vaultBucket);
      const release = await loadRelease(s3, vault, request.releaseId);
      const stacks = [...stacksByRegion(setting(SETTINGS.rollbackStacks))].flatMap(([region, names]) => names.map((stackName) => ({ stackName, region })));
      const account = setting(SETTINGS.account);
      const changeSets = await createRollbackChangeSets(s3, cfnIn, {
        vault,
        vaultRegion: setting(SETTINGS.vaultRegion),
        stacks,
        releaseTime: release.createdAt,
        runId: request.run.runId,
        // The role `cdk bootstrap` creates for CloudFormation in each region.
        executionRoleArn: (region) => `arn:aws:iam::${account}:role/cdk-${setting(SETTINGS.cdkQualifier)}-cfn-exec-role-${account}-${region}`,
      });
      return { releaseId: request.releaseId, releaseTime: release.createdAt, changeSets };
    }
    case 'status': {
      const s = summarize(await changeSetStates(cfnIn, request.changeSets), ['ready', 'no-changes', 'failed'], ['failed']);
      return { changeSets: s.items, ready: s.done && !s.failed, failed: s.failed };
    }
    case 'execute':
      return { stacks: await executeChangeSets(cfnIn, request.changeSets) };
    case 'stacks': {
      const s = summarize(await stackStates(cfnIn, request.stacks), ['done', 'failed'], ['failed']);
      return { stacks: s.items, done: s.done, failed: s.failed };
    }
  }
}
