/**
 * SDK clients of the runbook commands, one per service and region, made on first use and
 * destroyed when the command ends (keep-alive sockets would otherwise hold the process open).
 * Injectable so tests can point them at the emulator's accounts.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createS3Client } from '../lambda/aws/client';

export interface AwsClients {
  sfn(region: string): SFNClient;
  s3(region: string): S3Client;
  cloudwatch(region: string): CloudWatchClient;
  destroy(): void;
}

/** What to make a client with; the default uses the SDK's usual configuration (AWS_ENDPOINT_URL, profile, ...). */
export interface ClientFactory {
  sfn(region: string): SFNClient;
  s3(region: string): S3Client;
  cloudwatch(region: string): CloudWatchClient;
}

export const DEFAULT_FACTORY: ClientFactory = {
  sfn: (region) => new SFNClient({ region }),
  s3: (region) => createS3Client({ region, maxSockets: 16 }),
  cloudwatch: (region) => new CloudWatchClient({ region }),
};

export function awsClients(factory: ClientFactory = DEFAULT_FACTORY): AwsClients {
  const made = new Map<string, { destroy(): void }>();
  function get<T extends { destroy(): void }>(service: keyof ClientFactory, region: string): T {
    const key = `${service}:${region}`;
    if (!made.has(key)) made.set(key, factory[service](region));
    return made.get(key) as T;
  }
  return {
    sfn: (region) => get<SFNClient>('sfn', region),
    s3: (region) => get<S3Client>('s3', region),
    cloudwatch: (region) => get<CloudWatchClient>('cloudwatch', region),
    destroy: () => {
      for (const c of made.values()) c.destroy();
      made.clear();
    },
  };
}
