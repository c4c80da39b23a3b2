import { ConfigError, parseConfig, TIERS } from '../../lib/config';
import { exampleConfig, withProd } from './fixtures';

describe('tier table', () => {
  test('objectives follow the DR plan', () => {
    expect(TIERS.prod).toMatchObject({ tier: 1, rtoMinutes: 60, rpoMinutes: 15, mtdMinutes: 240 });
    expect(TIERS.staging).toMatchObject({ tier: 2, rtoMinutes: 240, rpoMinutes: 60 });
    expect(TIERS.dev).toMatchObject({ tier: 3, rtoMinutes: 1440, rpoMinutes: 1440 });
  });

  test('prod keeps versions 90 days, snapshots 30 days, logs 90 days, checks every 10 s behind WAF', () => {
    expect(TIERS.prod).toMatchObject({
      noncurrentVersionRetentionDays: 90,
      snapshotRetentionDays: 30,
      logExportRetentionDays: 90,
      healthCheckIntervalSeconds: 10,
      wafEnabled: true,
      wafRateLimit: 2000,
    });
    expect(TIERS.staging.healthCheckIntervalSeconds).toBe(30);
  });

  test('the drill runs on the first Monday of the month and logs export weekly', () => {
    expect(TIERS.prod.schedules.drill).toBe('cron(0 6 ? * MON#1 *)');
    expect(TIERS.prod.schedules.logExport).toMatch(/^cron\(0 4 \? \* SUN \*\)$/);
    expect(TIERS.staging.schedules.fullDrill).toMatch(/1,4,7,10 MON#1/);
  });
});

describe('parseConfig', () => {
  test('resolves defaults: regions, tier settings, physical names', () => {
    const { environments } = parseConfig(exampleConfig());
    expect(environments.map((e) => e.name)).toEqual(['prod', 'staging', 'dev']);
    const prod = environments[0];
    expect(prod).toMatchObject({
      prefix: 'acme-prod',
      primaryRegion: 'us-east-1',
      recoveryRegion: 'us-west-2',
      vault: { account: '111111111111', region: 'us-west-2', objectLockMode: 'GOVERNANCE', kmsKey: false, crossAccount: false },
      bucketNames: {
        content: 'acme-prod-content-111111111111-us-east-1',
        replica: 'acme-prod-replica-111111111111-us-west-2',
        vault: 'acme-prod-vault-111111111111-us-west-2',
      },
      domain: { recordName: 'www.example.com', standbyRecordName: 'standby-www.example.com', healthCheckPath: '/' },
      originFailover: { connectionTimeoutSeconds: 2, connectionAttempts: 1 },
      runbookRolePrefix: 'acme-prod-runbook-',
    });
    expect(prod.tier.noncurrentVersionRetentionDays).toBe(90);
  });

  test('an apex record gets standby.<zone> as the standby hostname', () => {
    const prod = parseConfig(withProd({ domain: { zoneName: 'example.com', hostedZoneId: 'Z1', recordName: 'example.com' } }), 'prod');
    expect(prod.environments[0].domain?.standbyRecordName).toBe('standby.example.com');
  });

  test('per-environment overrides replace tier settings but never the objectives', () => {
    const { environments } = parseConfig(
      withProd({ noncurrentVersionRetentionDays: 120, waf: { enabled: false }, schedules: { drill: null }, healthCheckIntervalSeconds: 30 }),
      'prod',
    );
    expect(environments[0].tier).toMatchObject({
      noncurrentVersionRetentionDays: 120,
      wafEnabled: false,
      healthCheckIntervalSeconds: 30,
      rpoMinutes: 15,
      rtoMinutes: 60,
    });
    expect(environments[0].tier.schedules.drill).toBeNull();
    expect(environments[0].tier.schedules.backup).toBe(TIERS.prod.schedules.backup);
  });

  test('a vault in another account is marked cross-account', () => {
    const prod = parseConfig(withProd({ vault: { account: '222222222222', objectLockMode: 'COMPLIANCE' } }), 'prod').environments[0];
    expect(prod.vault).toMatchObject({ account: '222222222222', region: 'us-west-2', crossAccount: true, objectLockMode: 'COMPLIANCE' });
    expect(prod.bucketNames.vault).toBe('acme-prod-vault-222222222222-us-west-2');
  });

  test('env selects one environment', () => {
    expect(parseConfig(exampleConfig(), 'staging').environments.map((e) => e.name)).toEqual(['staging']);
  });

  const rejects: Array<[string, unknown, RegExp]> = [
    ['missing config', undefined, /^sitedr: missing; expected a "sitedr" object/],
    ['bad account', { ...exampleConfig(), account: '12345' }, /sitedr\.account: expected a 12-digit AWS account id/],
    ['bad project', { ...exampleConfig(), project: 'Acme Site' }, /sitedr\.project: expected 3-20 lowercase letters/],
    ['no environments', { ...exampleConfig(), environments: {} }, /sitedr\.environments: expected at least one of prod, staging, dev/],
    ['unknown environment', { ...exampleConfig(), environments: { qa: {} } }, /sitedr\.environments: unknown field\(s\) "qa"/],
    ['unknown field', withProd({ retention: 3 }), /sitedr\.environments\.prod: unknown field\(s\) "retention"/],
    ['recovery region equal to primary', withProd({ recoveryRegion: 'us-east-1' }), /sitedr\.environments\.prod\.recoveryRegion: expected a region other than the primary region \(us-east-1\)/],
    ['malformed region', withProd({ primaryRegion: 'useast1' }), /sitedr\.environments\.prod\.primaryRegion: expected an AWS region name/],
    ['retention of zero days', withProd({ noncurrentVersionRetentionDays: 0 }), /sitedr\.environments\.prod\.noncurrentVersionRetentionDays: expected at least 1 day/],
    ['fractional retention', withProd({ snapshotRetentionDays: 1.5 }), /snapshotRetentionDays: expected a whole number of days/],
    [
      'uppercase domain',
      withProd({ domain: { zoneName: 'Example.com', hostedZoneId: 'Z1', recordName: 'www.example.com' } }),
      /sitedr\.environments\.prod\.domain\.zoneName: expected a lowercase domain name/,
    ],
    [
      'record outside the zone',
      withProd({ domain: { zoneName: 'example.com', hostedZoneId: 'Z1', recordName: 'www.example.org' } }),
      /domain\.recordName: "www\.example\.org" is not in the hosted zone "example\.com"/,
    ],
    [
      'certificate outside us-east-1',
      withProd({ domain: { zoneName: 'example.com', hostedZoneId: 'Z1', recordName: 'www.example.com', certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' } }),
      /domain\.certificateArn: expected an ACM certificate ARN in us-east-1/,
    ],
    ['automatic failover without a domain', { ...exampleConfig(), environments: { staging: { automaticFailover: true } } }, /staging\.automaticFailover: failover moves the site's hostname between distributions; expected a domain/],
    ['bad e-mail', withProd({ alertEmail: 'oncall' }), /alertEmail: expected an e-mail address/],
    ['bad schedule', withProd({ schedules: { backup: 'every day' } }), /schedules\.backup: expected an EventBridge Scheduler expression/],
    ['backups off in prod', withProd({ schedules: { backup: null } }), /schedules\.backup: tier 1 \(prod\) needs a backup schedule/],
    ['health-check interval', withProd({ healthCheckIntervalSeconds: 15 }), /healthCheckIntervalSeconds/],
    ['WAF limit below minimum', withProd({ waf: { rateLimit: 5 } }), /waf\.rateLimit: expected at least 10/],
    ['vault outside the recovery region', withProd({ vault: { region: 'us-east-1' } }), /vault\.region: expected the recovery region \(us-west-2\)/],
    ['bucket name too long', { ...exampleConfig(), project: 'a-very-long-project1', recoveryRegion: 'ap-southeast-2', environments: { staging: {} } }, /the derived bucket name .* S3 allows 63/],
  ];
  test.each(rejects)('rejects %s with the field and what was expected', (_, raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  test('rejects an environment that is not configured', () => {
    expect(() => parseConfig({ ...exampleConfig(), environments: { dev: {} } }, 'prod')).toThrow(/env: "prod" is not configured; expected one of dev/);
  });
});
