#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, parseConfig } from '../lib/config';
import { addEnvironments } from '../lib/site-dr-app';

const app = new App();
try {
  // The one place that reads context: `sitedr` from cdk.json, `env` from `-c env=prod` to synth one environment.
  const only = app.node.tryGetContext('env') as string | undefined;
  const config = parseConfig(app.node.tryGetContext('sitedr'), only);
  addEnvironments(app, config);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Invalid configuration:\n${err.message}`);
    process.exit(2);
  }
  throw err;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
