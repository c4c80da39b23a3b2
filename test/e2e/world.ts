import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../lambda/aws/client';
import { EnvironmentConfig } from '../../lib/config';
import { LocalOrigin, startLocalOrigin } from '../../local/origin';
import { createLocalWorld, LocalWorld, localConfig, synthesizeRunbooks, SynthesizedRunbooks } from '../../local/runbooks';

/** A fresh world per test file: its own project name, so buckets never collide between files. */
export interface TestWorld {
  readonly s3: S3Client;
  readonly world: LocalWorld;
  readonly runbooks: SynthesizedRunbooks;
  readonly origin: LocalOrigin;
  close(): Promise<void>;
}

export async function setUpWorld(project: string, env: 'prod' | 'staging' | 'dev' = 'staging', config: EnvironmentConfig = localConfig(env, project)): Promise<TestWorld> {
  const s3 = createS3Client();
  const cloudfront = new CloudFrontClient({});
  const origin = await startLocalOrigin({ s3, bucket: config.bucketNames.content });
  const world = await createLocalWorld(s3, cloudfront, config, { siteUrl: origin.url });
  const runbooks = synthesizeRunbooks(config);
  return {
    s3,
    world,
    runbooks,
    origin,
    close: async () => {
      await origin.close();
      s3.destroy();
      cloudfront.destroy();
    },
  };
}

export async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

export async function text(s3: S3Client, bucket: string, key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToString();
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
