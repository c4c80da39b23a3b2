import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** AWS managed rule groups every site gets (in this order). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
];

export interface SiteWebAclProps {
  /**
   * Requests one IP may send in any 5 minutes before WAF blocks it.
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
}

/** A CLOUDFRONT-scope web ACL (must be created in us-east-1): managed rule groups plus a per-IP rate limit. */
export class SiteWebAcl extends Construct {
  public readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: SiteWebAclProps = {}) {
    super(scope, id);
    const limit = props.rateLimitPer5Minutes ?? 2000;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(`SiteWebAcl rateLimitPer5Minutes: expected a whole number from 10 to 2,000,000,000, got ${limit}`);
    }
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('site-web-acl'),
      rules: [
        ...MANAGED_RULE_GROUPS.map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
        {
          name: 'RateLimitPerIp',
          priority: MANAGED_RULE_GROUPS.length,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });
    this.webAclArn = acl.attrArn;
  }
}
