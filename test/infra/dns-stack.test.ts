import { Match } from 'aws-cdk-lib/assertions';
import { synthesize, withProd } from './fixtures';

describe('DnsStack (failover)', () => {
  const synth = synthesize();
  const dns = synth.template('prod', 'dns');

  test('lives in us-east-1, where Route 53 publishes health-check metrics', () => {
    expect(synth.stacks.get('prod')!.dns!.region).toBe('us-east-1');
  });

  test('health check: HTTPS on the site hostname and path, tier interval (10 s in prod), 3 failures', () => {
    dns.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'www.example.com',
        Port: 443,
        ResourcePath: '/',
        RequestInterval: 10,
        FailureThreshold: 3,
        EnableSNI: true,
      }),
    });
  });

  test('the path and interval are configurable', () => {
    const t = synthesize(
      withProd({ healthCheckIntervalSeconds: 30, domain: { zoneName: 'example.com', hostedZoneId: 'Z1', recordName: 'www.example.com', healthCheckPath: '/health.html' } }),
      'prod',
    ).template('prod', 'dns');
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ ResourcePath: '/health.html', RequestInterval: 30 }),
    });
  });

  test('an alarm on the health check; its state changes reach the alert topic as incident messages', () => {
    dns.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: Match.anyValue() } }],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    for (const [state, heading] of [['ALARM', 'INCIDENT: Website Outage (P1)'], ['OK', 'RESOLVED: Website Outage (P1)']]) {
      const rules = Object.values(dns.findResources('AWS::Events::Rule', { Properties: { EventPattern: { detail: { state: { value: [state] } } } } }));
      expect(rules).toHaveLength(1);
      const [target] = rules[0].Properties.Targets;
      expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^AlertsTopic/) });
      // The message follows the incident template: heading, environment, status, impact, time, next step.
      const message = JSON.parse(target.InputTransformer.InputTemplate) as string;
      expect(message.split('\n').map((l) => l.split(':')[0])).toEqual(
        state === 'ALARM' ? ['🚨 INCIDENT', 'Environment', 'Status', 'Impact', 'Started', 'Next Step'] : ['✅ RESOLVED', 'Environment', 'Status', 'Impact', 'Resolved', 'Next Steps'],
      );
      expect(message).toContain(heading);
      expect(message).toContain('Environment: prod');
    }
  });

  test('failover records: PRIMARY to the primary distribution with the health check, SECONDARY to the standby, A and AAAA', () => {
    for (const type of ['A', 'AAAA']) {
      dns.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'www.example.com.',
        Type: type,
        Failover: 'PRIMARY',
        HealthCheckId: { Ref: Match.anyValue() },
        AliasTarget: { DNSName: Match.anyValue(), HostedZoneId: 'Z2FDTNDATAQYW2', EvaluateTargetHealth: false },
      });
      dns.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'www.example.com.',
        Type: type,
        Failover: 'SECONDARY',
        HealthCheckId: Match.absent(),
        AliasTarget: Match.objectLike({ HostedZoneId: 'Z2FDTNDATAQYW2' }),
      });
      dns.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'standby-www.example.com.', Type: type, Failover: Match.absent() });
    }
  });

  test('the _<hostname> TXT record names both distributions, so CloudFront lets the alias move between them', () => {
    dns.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: '_www.example.com.',
      Type: 'TXT',
      ResourceRecords: [Match.anyValue(), Match.anyValue()],
    });
  });

  test('primary and secondary records point at different distributions', () => {
    const records = Object.values(dns.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'A', Name: 'www.example.com.' } }));
    const byRole = Object.fromEntries(records.map((r) => [r.Properties.Failover, JSON.stringify(r.Properties.AliasTarget.DNSName)]));
    expect(byRole.PRIMARY).toBeDefined();
    expect(byRole.SECONDARY).toBeDefined();
    expect(byRole.PRIMARY).not.toEqual(byRole.SECONDARY);
  });
});
