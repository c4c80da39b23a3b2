/**
 * The environment a runbook command acts on, from the app's own configuration (cdk.json context
 * `sitedr`), so the CLI derives state machine names, regions and buckets exactly as the stacks
 * do, with no ARNs pasted by hand.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, EnvironmentConfig, parseConfig } from '../lib/config';
import { InvalidInput } from '../lambda/shared/errors';

export const DEFAULT_CONFIG_FILE = 'cdk.json';

function readContext(configFile: string): unknown {
  const path = resolve(configFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInput('--config', 'a readable cdk.json with the sitedr context', `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return (JSON.parse(text) as { context?: { sitedr?: unknown } }).context?.sitedr;
  } catch (err) {
    throw new InvalidInput('--config', 'a JSON file', `${path} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Resolves one environment of the configuration.
 * @throws InvalidInput naming --env (not configured) or --config (unreadable or invalid)
 */
export function loadEnvironment(env: string | undefined, configFile = DEFAULT_CONFIG_FILE): EnvironmentConfig {
  if (!env) throw new InvalidInput('--env', 'an environment name such as prod, staging or dev', '--env is required');
  const raw = readContext(configFile);
  try {
    return parseConfig(raw, env).environments[0];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // parseConfig reports an unknown environment as `env: ...`: that is the --env flag's fault.
    const field = err.message.startsWith('env:') ? '--env' : '--config';
    throw new InvalidInput(field, field === '--env' ? 'a configured environment' : 'a valid sitedr configuration', err.message);
  }
}

/**
 * The recovery region shared by every configured environment, if they agree: where `approve` and
 * `reject` send the token when no --env says otherwise. Undefined when unknown or ambiguous.
 */
export function sharedRecoveryRegion(configFile = DEFAULT_CONFIG_FILE): string | undefined {
  try {
    const regions = new Set(parseConfig(readContext(configFile)).environments.map((e) => e.recoveryRegion));
    return regions.size === 1 ? [...regions][0] : undefined;
  } catch {
    return undefined;
  }
}
