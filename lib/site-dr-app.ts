import { App, Stack } from 'aws-cdk-lib';
import { AppConfig, EnvironmentConfig } from './config';
import { DnsStack } from './stacks/dns-stack';
import { EdgeStack } from './stacks/edge-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { ReplicaStack } from './stacks/replica-stack';
import { RunbookStack } from './stacks/runbook-stack';
import { SiteStack } from './stacks/site-stack';
import { VaultStack } from './stacks/vault-stack';

/** The stacks of one environment, in deployment order. */
export interface EnvironmentStacks {
  readonly edge?: EdgeStack;
  readonly vault: VaultStack;
  readonly replica: ReplicaStack;
  readonly site: SiteStack;
  readonly dns?: DnsStack;
  readonly monitoring: MonitoringStack;
  readonly runbooks: RunbookStack;
}

/**
 * Creates one environment's stacks, each with an explicit account and region.
 * Order: edge (us-east-1) -> vault -> replica (must exist before the content bucket replicates
 * into it) -> site -> dns (needs both distributions) -> runbooks (recovery region).
 */
export function addEnvironment(app: App, config: EnvironmentConfig): EnvironmentStacks {
  const env = (region: string, account = config.account) => ({ account, region });
  const common = (region: string) => ({
    env: env(region),
    // Edge outputs (us-east-1) and the standby distribution cross regions; CDK carries them via SSM.
    crossRegionReferences: true,
    tags: { 'sitedr:project': config.project, 'sitedr:environment': config.name },
  });
  const name = (part: string) => `${config.prefix}-${part}`;

  const edge = EdgeStack.isNeeded(config)
    ? new EdgeStack(app, name('edge'), { ...common('us-east-1'), config, description: 'Site DR: certificate and WAF (us-east-1)' })
    : undefined;
  const vault = new VaultStack(app, name('vault'), {
    ...common(config.vault.region),
    env: env(config.vault.region, config.vault.account),
    config,
    description: 'Site DR: immutable backup vault',
  });
  const replica = new ReplicaStack(app, name('replica'), {
    ...common(config.recoveryRegion),
    config,
    certificate: edge?.certificate,
    webAclArn: edge?.webAclArn,
    description: 'Site DR: replica bucket and standby distribution (recovery region)',
  });
  const site = new SiteStack(app, name('site'), {
    ...common(config.primaryRegion),
    config,
    certificate: edge?.certificate,
    webAclArn: edge?.webAclArn,
    description: 'Site DR: content bucket, replication and primary distribution',
  });
  // Replication needs the replica bucket to exist and be versioned before the content bucket names it.
  site.addStackDependency(replica);
  const dns = config.domain
    ? new DnsStack(app, name('dns'), {
        ...common('us-east-1'),
        config,
        domain: config.domain,
        primaryDistribution: site.distribution,
        standbyDistribution: replica.standbyDistribution,
        description: 'Site DR: health check and failover DNS',
      })
    : undefined;
  const monitoring = new MonitoringStack(app, name('monitoring'), {
    ...common('us-east-1'),
    config,
    distributions: [
      { label: 'Primary', distributionId: site.distribution.distributionId },
      { label: 'Standby', distributionId: replica.standbyDistribution.distributionId },
    ],
    description: 'Site DR: CloudFront error-rate alarms (us-east-1, where CloudFront metrics are)',
  });
  const runbooks = new RunbookStack(app, name('runbooks'), {
    ...common(config.recoveryRegion),
    config,
    distributionId: site.distribution.distributionId,
    distributionDomainName: site.distribution.distributionDomainName,
    standbyDistributionId: replica.standbyDistribution.distributionId,
    standbyDistributionDomainName: replica.standbyDistribution.distributionDomainName,
    healthCheckId: dns?.failover.healthCheck.healthCheckId,
    healthAlarmArn: dns?.failover.healthAlarm.alarmArn,
    // Stacks of this account only: a vault in another account is out of the runbooks' reach by design.
    siteStacks: [edge, vault, replica, site, dns, monitoring].filter((s) => s !== undefined && s.account === config.account).map((s) => ({ name: s!.stackName, region: s!.region })),
    description: 'Site DR: runbooks (Step Functions), their tasks, schedules and alarms (recovery region)',
  });
  return { edge, vault, replica, site, dns, monitoring, runbooks };
}

/** Creates the stacks of every configured environment. */
export function addEnvironments(app: App, config: AppConfig): Map<string, EnvironmentStacks> {
  return new Map(config.environments.map((e) => [e.name, addEnvironment(app, e)]));
}

/** Every stack of an environment, for checks that apply to all of them. */
export function stacksOf(stacks: EnvironmentStacks): Stack[] {
  return [stacks.edge, stacks.vault, stacks.replica, stacks.site, stacks.dns, stacks.monitoring, stacks.runbooks].filter((s): s is NonNullable<typeof s> => s !== undefined);
}
