import { InvalidInput } from '../shared/errors';

export interface S3Location {
  readonly bucket: string;
  /** The key (for an object URL) or the prefix (for a prefix URL); '' for the bucket root. */
  readonly key: string;
}

/** Splits s3://bucket/key. The key part is taken literally (S3 keys are not URL-encoded here). */
export function parseS3Url(url: string, field: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new InvalidInput(field, 'an s3://bucket/key URL', `${JSON.stringify(url)} is not an s3:// URL`);
  return { bucket: match[1], key: match[2] ?? '' };
}

export function formatS3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** Joins a prefix and a relative key with exactly one slash between them. */
export function joinKey(prefix: string, relative: string): string {
  if (!prefix) return relative;
  return prefix.endsWith('/') ? prefix + relative : `${prefix}/${relative}`;
}

/** The longest prefix all keys share: lets a check of a few keys list only where they live. */
export function commonPrefix(keys: Iterable<string>): string {
  let prefix: string | undefined;
  for (const key of keys) {
    if (prefix === undefined) prefix = key;
    else {
      let i = 0;
      while (i < prefix.length && i < key.length && prefix[i] === key[i]) i++;
      prefix = prefix.slice(0, i);
    }
    if (prefix === '') break;
  }
  // Never end between the two halves of a surrogate pair: the prefix must stay valid UTF-8.
  if (prefix && /[\uD800-\uDBFF]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return prefix ?? '';
}
