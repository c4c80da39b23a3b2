import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { HSTS_MAX_AGE_SECONDS, SECURITY_HEADERS } from '../../lambda/shared/site-contract';

/**
 * The response headers policy of both distributions, built from the site contract
 * (lambda/shared/site-contract.ts) that the validation runbook checks responses against.
 */
export class SecurityHeadersPolicy extends Construct {
  public readonly policy: cloudfront.IResponseHeadersPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const h = SECURITY_HEADERS;
    if (h['strict-transport-security'] !== `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`) {
      throw new Error('site contract: strict-transport-security must match HSTS_MAX_AGE_SECONDS with includeSubDomains; preload');
    }
    this.policy = new cloudfront.ResponseHeadersPolicy(this, 'Policy', {
      comment: 'Security headers checked by the validation runbook',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: h['content-security-policy'], override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: h['permissions-policy'], override: true }],
      },
    });
  }
}
