/**
 * Infrastructure rollback through CloudFormation change sets: each stack is changed back to the
 * template stored in the vault when the release was recorded. Creating a change set changes
 * nothing; it is executed only after the runbook's approval step.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { changeSetName, ChangeSetState, changeSetState, StackUpdateState, stackUpdateState, templateKeyAt } from '../core/infra-rollback';
import { NotFound } from '../shared/errors';
import { withRetry } from './retry';

export interface StackRef {
  readonly stackName: string;
  readonly region: string;
}

export interface PlannedChangeSet extends StackRef {
  readonly changeSetName: string;
  readonly templateKey: string;
}

/** Every stored template key under `templates/` in the vault. */
async function templateKeys(s3: S3Client, vault: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(() => s3.send(new ListObjectsV2Command({ Bucket: vault, Prefix: 'templates/', ContinuationToken: token })));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/**
 * Creates one change set per stack from the template it had at `releaseTime`. Parameters keep
 * their current values; CloudFormation acts through the CDK deployment role, as `cdk deploy` does.
 */
export async function createRollbackChangeSets(
  s3: S3Client,
  cfnIn: (region: string) => CloudFormationClient,
  opts: { vault: string; vaultRegion: string; stacks: readonly StackRef[]; releaseTime: string; runId: string; executionRoleArn: (region: string) => string },
): Promise<PlannedChangeSet[]> {
  const keys = await templateKeys(s3, opts.vault);
  const planned: PlannedChangeSet[] = [];
  for (const stack of opts.stacks) {
    const templateKey = templateKeyAt(keys, stack.stackName, opts.releaseTime);
    if (!templateKey) {
      throw new NotFound('releaseId', `a template of ${stack.stackName} stored before the release`, `the vault holds no template of ${stack.stackName} from before ${opts.releaseTime}; the template backup runs after each deployment and daily`);
    }
    const cfn = cfnIn(stack.region);
    const described = await withRetry(() => cfn.send(new DescribeStacksCommand({ StackName: stack.stackName })));
    const parameters = (described.Stacks?.[0]?.Parameters ?? []).map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true }));
    const name = changeSetName(opts.runId);
    await withRetry(() =>
      cfn.send(
        new CreateChangeSetCommand({
          StackName: stack.stackName,
          ChangeSetName: name,
          ChangeSetType: 'UPDATE',
          TemplateURL: `https://${opts.vault}.s3.${opts.vaultRegion}.amazonaws.com/${templateKey}`,
          Parameters: parameters,
          Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
          RoleARN: opts.executionRoleArn(stack.region),
          Description: `sitedr rollback to the template of ${opts.releaseTime}`,
        }),
      ).catch((err: Error) => {
        // A retried task finds the change set its first attempt created.
        if (err.name === 'AlreadyExistsException') return undefined;
        throw err;
      }),
    );
    planned.push({ ...stack, changeSetName: name, templateKey });
  }
  return planned;
}

export async function changeSetStates(cfnIn: (region: string) => CloudFormationClient, changeSets: readonly PlannedChangeSet[]): Promise<Array<PlannedChangeSet & { state: ChangeSetState; reason?: string }>> {
  const out = [];
  for (const c of changeSets) {
    const d = await withRetry(() => cfnIn(c.region).send(new DescribeChangeSetCommand({ StackName: c.stackName, ChangeSetName: c.changeSetName })));
    out.push({ ...c, state: changeSetState(d.Status, d.StatusReason), ...(d.StatusReason ? { reason: d.StatusReason } : {}) });
  }
  return out;
}

/** Executes the change sets that change something; the others are already in the release's state. */
export async function executeChangeSets(cfnIn: (region: string) => CloudFormationClient, changeSets: ReadonlyArray<PlannedChangeSet & { state: ChangeSetState }>): Promise<StackRef[]> {
  const executed: StackRef[] = [];
  for (const c of changeSets.filter((x) => x.state === 'ready')) {
    await withRetry(() => cfnIn(c.region).send(new ExecuteChangeSetCommand({ StackName: c.stackName, ChangeSetName: c.changeSetName })));
    executed.push({ stackName: c.stackName, region: c.region });
  }
  return executed;
}

export async function stackStates(cfnIn: (region: string) => CloudFormationClient, stacks: readonly StackRef[]): Promise<Array<StackRef & { state: StackUpdateState; status?: string }>> {
  const out = [];
  for (const s of stacks) {
    const d = await withRetry(() => cfnIn(s.region).send(new DescribeStacksCommand({ StackName: s.stackName })));
    const status = d.Stacks?.[0]?.StackStatus;
    out.push({ ...s, state: stackUpdateState(status), ...(status ? { status } : {}) });
  }
  return out;
}
