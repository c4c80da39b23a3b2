import { App } from 'aws-cdk-lib';
import * as cdkJson from '../../cdk.json';
import { Template } from 'aws-cdk-lib/assertions';
import { AppConfig, parseConfig, RawConfig } from '../../lib/config';
import { addEnvironments, EnvironmentStacks } from '../../lib/site-dr-app';

/** A complete configuration: prod with a domain (so every optional stack exists), staging and dev bare. */
export function exampleConfig(): RawConfig {
  return {
    project: 'acme',
    account: '111111111111',
    environments: {
      prod: {
        alertEmail: 'oncall@example.com',
        domain: { zoneName: 'example.com', hostedZoneId: 'Z0123456789EXAMPLE', recordName: 'www.example.com' },
      },
      staging: {},
      dev: {},
    },
  };
}

/** Deep-merges `patch` into the prod environment of the example configuration. */
export function withProd(patch: Record<string, unknown>): RawConfig {
  const config = exampleConfig();
  return { ...config, environments: { ...config.environments, prod: { ...config.environments.prod, ...patch } } } as RawConfig;
}

export interface Synthesized {
  readonly app: App;
  readonly config: AppConfig;
  readonly stacks: Map<string, EnvironmentStacks>;
  /** Template of one stack, e.g. template('prod', 'site'). */
  template(env: string, stack: keyof EnvironmentStacks): Template;
}

/** Builds the app the way bin/app.ts does (without the nag plugin, which tests run directly). */
export function synthesize(raw: RawConfig = exampleConfig(), only?: string): Synthesized {
  // The same feature flags as `cdk synth` (cdk.json), without its example `sitedr` config.
  const { sitedr: _example, ...flags } = cdkJson.context;
  // Bundling 16 Lambda tasks per environment is slow and proves nothing about the templates; the
  // cfn-lint test runs the real `cdk synth`, bundling included.
  const app = new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [] } });
  const config = parseConfig(raw, only);
  const stacks = addEnvironments(app, config);
  const cache = new Map<string, Template>();
  return {
    app,
    config,
    stacks,
    template(env, stack) {
      const key = `${env}/${stack}`;
      if (!cache.has(key)) {
        const s = stacks.get(env)?.[stack];
        if (!s) throw new Error(`no ${stack} stack for ${env}`);
        cache.set(key, Template.fromStack(s));
      }
      return cache.get(key)!;
    },
  };
}
