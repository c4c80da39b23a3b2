import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DIRECTORY_INDEX_FUNCTION, INDEX_DOCUMENT, NOT_FOUND_PAGE } from '../../lambda/shared/site-contract';

/** Status codes from the first origin that make CloudFront retry the request on the second. */
export const ORIGIN_FAILOVER_STATUS_CODES = [500, 502, 503, 504];

export interface SiteDistributionProps {
  /** The bucket CloudFront reads first. */
  readonly primaryBucket: s3.IBucket;
  /** The bucket CloudFront retries a request on when the first answers 5xx or cannot be reached. */
  readonly fallbackBucket: s3.IBucket;
  /** Security headers added to every response. */
  readonly responseHeadersPolicy: cloudfront.IResponseHeadersPolicy;
  /** Bucket for CloudFront standard logs (needs ACLs enabled). */
  readonly logBucket: s3.IBucket;
  /** Key prefix of this distribution's logs. */
  readonly logPrefix: string;
  /**
   * Alternate domain names.
   * @default - none: the distribution answers on its *.cloudfront.net name only
   */
  readonly domainNames?: string[];
  /**
   * Certificate covering `domainNames` (ACM, us-east-1). Required with domainNames.
   * @default - the default CloudFront certificate
   */
  readonly certificate?: acm.ICertificate;
  /**
   * ARN of a CLOUDFRONT-scope WAF web ACL.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Seconds to wait for a connection to the first origin before retrying or failing over.
   * Short, because every second here is added to each request while the first origin is down.
   * @default 2
   */
  readonly connectionTimeoutSeconds?: number;
  /**
   * Connection attempts on the first origin before failing over.
   * @default 1
   */
  readonly connectionAttempts?: number;
  /** What this distribution is for, shown in the console. */
  readonly comment: string;
}

/**
 * A CloudFront distribution in front of two buckets through one origin access control:
 * an origin group fails each request over from the first bucket to the second on 5xx
 * or a connection failure, so a bucket or region failure costs no human action.
 */
export class SiteDistribution extends Construct {
  public readonly distribution: cloudfront.IDistribution;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    const connectionTimeoutSeconds = props.connectionTimeoutSeconds ?? 2;
    const connectionAttempts = props.connectionAttempts ?? 1;
    if (!Number.isInteger(connectionTimeoutSeconds) || connectionTimeoutSeconds < 1 || connectionTimeoutSeconds > 10) {
      throw new Error(`SiteDistribution connectionTimeoutSeconds: expected a whole number from 1 to 10, got ${connectionTimeoutSeconds}`);
    }
    if (!Number.isInteger(connectionAttempts) || connectionAttempts < 1 || connectionAttempts > 3) {
      throw new Error(`SiteDistribution connectionAttempts: expected 1, 2 or 3, got ${connectionAttempts}`);
    }
    if ((props.domainNames?.length ?? 0) > 0 && !props.certificate) {
      throw new Error('SiteDistribution certificate: expected a certificate covering domainNames');
    }

    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: `${props.comment}: signed S3 reads`,
    });
    const originProps = {
      originAccessControl,
      connectionTimeout: Duration.seconds(connectionTimeoutSeconds),
      connectionAttempts,
    };
    const origin = new origins.OriginGroup({
      primaryOrigin: origins.S3BucketOrigin.withOriginAccessControl(props.primaryBucket, originProps),
      fallbackOrigin: origins.S3BucketOrigin.withOriginAccessControl(props.fallbackBucket, originProps),
      fallbackStatusCodes: ORIGIN_FAILOVER_STATUS_CODES,
    });

    // S3 answers 403 for a missing key when the reader may not list the bucket; both mean "not found".
    const notFound = (httpStatus: number): cloudfront.ErrorResponse => ({
      httpStatus,
      responseHttpStatus: 404,
      responsePagePath: NOT_FOUND_PAGE,
      ttl: Duration.seconds(10),
    });

    // `/about/` must serve about/index.html: the default root object only covers `/`.
    const directoryIndex = new cloudfront.Function(this, 'DirectoryIndex', {
      comment: 'Serve folder paths from their index document',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: props.comment,
      defaultRootObject: INDEX_DOCUMENT,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: props.responseHeadersPolicy,
        compress: true,
        functionAssociations: [{ function: directoryIndex, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      errorResponses: [notFound(403), notFound(404)],
      domainNames: props.domainNames,
      certificate: props.certificate,
      // Only a custom certificate lets CloudFront enforce a TLS policy; the default one is fixed at TLSv1.
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      sslSupportMethod: props.certificate ? cloudfront.SSLMethod.SNI : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: props.logPrefix,
      webAclId: props.webAclArn,
      // Cache hit rate and origin latency for the dashboard.
      publishAdditionalMetrics: true,
    });
    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings(props: SiteDistributionProps): void {
    const distribution = this.distribution.node.defaultChild!;
    // The other region's bucket is granted to this account's distributions by its own stack (SiteBucket).
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      "The fallback bucket's own stack grants this account's distributions read access (SiteBucket allowPeerDistributions)",
    );
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A public website is served worldwide; geo restriction is a business decision left to the site owner',
    });
    if (!props.certificate) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain is configured, so the distribution uses the default *.cloudfront.net certificate whose TLS policy CloudFront fixes; configuring domain enforces TLSv1.2_2021',
      });
    }
    if (!props.webAclArn) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: "WAF is off for this environment's tier (config waf.enabled); prod turns it on by default",
      });
    }
  }
}
