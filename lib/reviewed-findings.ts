import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Wildcard resources (AwsSolutions-IAM5) that were reviewed and are needed, each with its reason.
 * CDK generates many of these from logical ids, so they are matched by pattern and acknowledged
 * on the exact construct where cdk-nag reports them; any finding not matched here still fails
 * the nag test and `cdk synth`.
 */
export const REVIEWED_WILDCARDS: ReadonlyArray<{ readonly finding: RegExp; readonly reason: string; readonly path?: RegExp }> = [
  {
    finding: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    // Only the policies of the task roles and the state machine roles; anywhere else it is a finding.
    path: /\/(Tasks\/[a-z-]+\/Role|[A-Za-z]+\/Role)\/DefaultPolicy\/Resource$/,
    reason: 'X-Ray trace writes, CloudWatch Logs delivery setup and logs:DescribeExportTasks have no resource-level permissions; no wildcard action is granted on it',
  },
  { finding: /^AwsSolutions-IAM5\[Resource::<Tasks[A-Za-z0-9]+Logs[0-9A-F]{8}\.Arn>:log-stream:\*\]$/, reason: "A task writes log streams only in its own log group" },
  { finding: /^AwsSolutions-IAM5\[Resource::<Tasks[A-Za-z0-9]+Function[0-9A-F]{8}\.Arn>:\*\]$/, reason: 'A state machine invokes versions of its own task functions' },
  {
    finding: /^AwsSolutions-IAM5\[Resource::(arn:<AWS::Partition>:s3:::[a-z0-9.-]+|<DrillBucket[0-9A-F]{8}\.Arn>)\/(reports\/)?\*\]$/,
    reason: "Object-level access to the buckets this task restores, snapshots or records into (content, replica, vault, drill); each role lists its own buckets and actions",
  },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z0-9-]+\/\*\]$/, reason: 'A stack ARN ends in a generated id: the template backup reads the named site stacks only' },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:iam::\d{12}:role\/cdk-[a-z0-9]+-cfn-exec-role-\d{12}-\*\]$/,
    reason: 'The infrastructure rollback passes the CDK deployment role of each region (its name ends in the region) to CloudFormation only (iam:PassedToService)',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*\]$/,
    reason: "The vault's key id is unknown here (it may live in the vault account); use is limited to S3 in the vault's region by the kms:ViaService condition",
  },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:[a-z0-9-]+:\d{12}:(execution|stateMachine):[a-z0-9-]+-\*\]$/, reason: "Runbooks of this environment only (named <project>-<env>-<runbook>): listing running executions and reading execution history" },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:[a-z0-9-]+:\d{12}:execution:\{.*\}(\/\*)?:\*\]$/, reason: "A Distributed Map starts and reads child executions of its own state machine" },
];

/** Acknowledges, on the construct it concerns, every finding in `stack` that matches a reviewed pattern. */
export function acknowledgeReviewedFindings(stack: Stack): void {
  const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
  for (const violation of new AwsSolutionsChecks().validateScope(stack).violations) {
    const reviewed = REVIEWED_WILDCARDS.find((r) => r.finding.test(violation.ruleName));
    if (!reviewed) continue;
    for (const resource of violation.violatingResources) {
      if (reviewed.path && !reviewed.path.test(resource.constructPath ?? '')) continue;
      const construct = resource.constructPath === undefined ? undefined : byPath.get(resource.constructPath);
      if (construct) Validations.of(construct).acknowledge({ id: violation.ruleName, reason: reviewed.reason });
    }
  }
}
