/**
 * Template-backup runbook: store each site stack's current CloudFormation template in the vault,
 * only when it changed. Stacks live in several regions, so each is read with a client of its region.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createS3Client } from '../aws/client';
import { backupTemplates, TemplateBackup } from '../aws/templates';
import { InvalidInput } from '../shared/errors';
import { logger, tracer } from '../shared/powertools';
import { SETTINGS, setting } from '../shared/settings';

const s3 = tracer.captureAWSv3Client(createS3Client());

/** `name@region,name@region` -> stack names by region. */
export function stacksByRegion(value: string): Map<string, string[]> {
  const byRegion = new Map<string, string[]>();
  for (const entry of value.split(',').filter(Boolean)) {
    const [name, region] = entry.split('@');
    if (!name || !region) throw new InvalidInput(SETTINGS.stackNames, 'stackName@region entries', `"${entry}" is not stackName@region`);
    byRegion.set(region, [...(byRegion.get(region) ?? []), name]);
  }
  return byRegion;
}

/** One traced client per region, kept for the container's life like the S3 client. */
const cloudFormation = new Map<string, CloudFormationClient>();
function cloudFormationIn(region: string): CloudFormationClient {
  if (!cloudFormation.has(region)) cloudFormation.set(region, tracer.captureAWSv3Client(new CloudFormationClient({ region })));
  return cloudFormation.get(region)!;
}

export async function handler(): Promise<{ templates: TemplateBackup[]; changed: number }> {
  const now = new Date();
  const templates: TemplateBackup[] = [];
  for (const [region, stackNames] of stacksByRegion(setting(SETTINGS.stackNames))) {
    templates.push(...(await backupTemplates(cloudFormationIn(region), s3, { stackNames, vault: setting(SETTINGS.vaultBucket), now })));
  }
  const changed = templates.filter((t) => t.changed).length;
  logger.info('templates backed up', { stacks: templates.length, changed });
  return { templates, changed };
}
