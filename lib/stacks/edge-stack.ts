import { Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config';
import { SiteWebAcl } from '../constructs/web-acl';

/** What a stack with a distribution takes from the edge stack. */
export interface EdgeOutputsProps extends StackProps {
  readonly config: EnvironmentConfig;
  /**
   * Viewer certificate covering the distribution's hostname.
   * @default - no custom domain
   */
  readonly certificate?: acm.ICertificate;
  /**
   * WAF web ACL (CLOUDFRONT scope).
   * @default - no web ACL
   */
  readonly webAclArn?: string;
}

export interface EdgeStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * What CloudFront only accepts from us-east-1: the viewer certificate and the WAF web ACL,
 * shared by the primary and the standby distribution.
 */
export class EdgeStack extends Stack {
  public readonly certificate?: acm.ICertificate;
  public readonly webAclArn?: string;

  /** True when the environment needs anything from this stack. */
  static isNeeded(config: EnvironmentConfig): boolean {
    return config.domain !== undefined || config.tier.wafEnabled;
  }

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    if (this.region !== 'us-east-1') {
      throw new Error(`EdgeStack env.region: expected us-east-1 (CloudFront certificates and web ACLs live there), got ${this.region}`);
    }
    const { domain, tier } = props.config;
    if (domain) {
      this.certificate = domain.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn)
        : new acm.Certificate(this, 'Certificate', {
            domainName: domain.recordName,
            subjectAlternativeNames: [domain.standbyRecordName],
            validation: acm.CertificateValidation.fromDns(
              route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
                hostedZoneId: domain.hostedZoneId,
                zoneName: domain.zoneName,
              }),
            ),
          });
    }
    if (tier.wafEnabled) {
      this.webAclArn = new SiteWebAcl(this, 'WebAcl', { rateLimitPer5Minutes: tier.wafRateLimit }).webAclArn;
    }
  }
}
