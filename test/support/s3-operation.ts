/**
 * Names the S3 API operation an HTTP request is, from its method, path, query string and headers —
 * the same information S3 itself routes on. Used by the test proxy to count calls per operation.
 *
 * Requests that are not recognised are named 'Other' rather than guessed, so a benchmark never
 * credits a call to the wrong operation.
 */
export function s3OperationName(method: string, url: string, headers: Record<string, string | string[] | undefined>): string {
  const parsed = new URL(url, 'http://placeholder');
  const query = parsed.searchParams;
  const hasKey = targetsObject(parsed.pathname);
  const copySource = headers['x-amz-copy-source'] !== undefined;
  const m = method.toUpperCase();

  if (parsed.pathname === '/') {
    return m === 'GET' ? 'ListBuckets' : 'Other';
  }
  return hasKey ? objectOperation(m, query, copySource) : bucketOperation(m, query);
}

/** Object-level operations: the path names a key. */
function objectOperation(m: string, query: URLSearchParams, copySource: boolean): string {
  const uploadId = query.has('uploadId');
  switch (m) {
    case 'GET':
      if (uploadId) return 'ListParts';
      return subresource(query, OBJECT_GET) ?? 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (query.has('partNumber') && uploadId) return copySource ? 'UploadPartCopy' : 'UploadPart';
      return subresource(query, OBJECT_PUT) ?? (copySource ? 'CopyObject' : 'PutObject');
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (uploadId) return 'CompleteMultipartUpload';
      return subresource(query, OBJECT_POST) ?? 'Other';
    case 'DELETE':
      if (uploadId) return 'AbortMultipartUpload';
      return subresource(query, OBJECT_DELETE) ?? 'DeleteObject';
    default:
      return 'Other';
  }
}

/** Bucket-level operations: the path names only a bucket. */
function bucketOperation(m: string, query: URLSearchParams): string {
  switch (m) {
    case 'GET':
      if (query.has('versions')) return 'ListObjectVersions';
      if (query.get('list-type') === '2') return 'ListObjectsV2';
      if (query.has('uploads')) return 'ListMultipartUploads';
      return subresource(query, BUCKET_CONFIG, 'GetBucket') ?? subresource(query, BUCKET_GET) ?? 'ListObjects';
    case 'HEAD':
      return 'HeadBucket';
    case 'PUT':
      return subresource(query, BUCKET_CONFIG, 'PutBucket') ?? subresource(query, BUCKET_PUT) ?? 'CreateBucket';
    case 'POST':
      if (query.has('delete')) return 'DeleteObjects';
      return 'Other';
    case 'DELETE':
      return subresource(query, BUCKET_CONFIG, 'DeleteBucket') ?? 'DeleteBucket';
    default:
      return 'Other';
  }
}

/** Returns the name of the first sub-resource present in the query, with an optional verb prefix. */
function subresource(query: URLSearchParams, table: Record<string, string>, prefix = ''): string | undefined {
  for (const [param, name] of Object.entries(table)) {
    if (query.has(param)) return prefix + name;
  }
  return undefined;
}

// Bucket configuration sub-resources follow one pattern: Get/Put/DeleteBucket<Name>.
const BUCKET_CONFIG: Record<string, string> = {
  versioning: 'Versioning',
  tagging: 'Tagging',
  policy: 'Policy',
  lifecycle: 'LifecycleConfiguration',
  replication: 'Replication',
  encryption: 'Encryption',
  cors: 'Cors',
  website: 'Website',
  acl: 'Acl',
  logging: 'Logging',
  notification: 'NotificationConfiguration',
  ownershipControls: 'OwnershipControls',
  accelerate: 'AccelerateConfiguration',
  requestPayment: 'RequestPayment',
  intelligent_tiering: 'IntelligentTieringConfiguration',
  inventory: 'InventoryConfiguration',
  analytics: 'AnalyticsConfiguration',
  metrics: 'MetricsConfiguration',
};
// The exceptions to that pattern.
const BUCKET_GET: Record<string, string> = {
  location: 'GetBucketLocation',
  'object-lock': 'GetObjectLockConfiguration',
  publicAccessBlock: 'GetPublicAccessBlock',
};
const BUCKET_PUT: Record<string, string> = {
  'object-lock': 'PutObjectLockConfiguration',
  publicAccessBlock: 'PutPublicAccessBlock',
};
const OBJECT_GET: Record<string, string> = {
  attributes: 'GetObjectAttributes',
  tagging: 'GetObjectTagging',
  acl: 'GetObjectAcl',
  retention: 'GetObjectRetention',
  'legal-hold': 'GetObjectLegalHold',
};
const OBJECT_PUT: Record<string, string> = {
  tagging: 'PutObjectTagging',
  acl: 'PutObjectAcl',
  retention: 'PutObjectRetention',
  'legal-hold': 'PutObjectLegalHold',
};
const OBJECT_POST: Record<string, string> = { restore: 'RestoreObject', select: 'SelectObjectContent' };
const OBJECT_DELETE: Record<string, string> = { tagging: 'DeleteObjectTagging' };

/**
 * True when the path names a key (`/bucket/key`). Only path-style addressing is recognised: it is what
 * the SDKs use against an IP endpoint such as the emulator behind this proxy.
 */
function targetsObject(pathname: string): boolean {
  const slash = pathname.indexOf('/', 1);
  return slash > 0 && slash < pathname.length - 1;
}
