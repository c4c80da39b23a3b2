/**
 * CloudFront adapters. Distributions, invalidations and GetDistribution run against moto.
 *
 * moto (5.x) does NOT implement AssociateAlias or ListConflictingAliases (both answer 404), and it
 * creates a new invalidation on every CreateInvalidation whatever the CallerReference, while
 * CloudFront returns the existing one. Those behaviours are therefore exercised with
 * aws-sdk-client-mock standing in for CloudFront, answering the way the API reference says.
 */
import {
  AssociateAliasCommand,
  CloudFrontClient,
  CreateDistributionCommand,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  IllegalUpdate,
  ListConflictingAliasesCommand,
  TooManyInvalidationsInProgress,
} from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { distributionStatus, invalidationStatus, moveAlias, normaliseInvalidationStatus, startInvalidation } from '../../lambda/aws/cloudfront';
import { AliasMoveRejected, InvalidInput, InvalidationsBusy, NotFound } from '../../lambda/shared/errors';

const cf = new CloudFrontClient({ region: 'us-east-1' });
afterAll(() => cf.destroy());

async function createDistribution(aliases: string[] = []): Promise<{ id: string; domainName: string }> {
  const res = await cf.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `test-${randomBytes(6).toString('hex')}`,
        Comment: 'sitedr test',
        Enabled: true,
        Aliases: { Quantity: aliases.length, Items: aliases },
        Origins: { Quantity: 1, Items: [{ Id: 'content', DomainName: 'content.s3.us-east-1.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
        DefaultCacheBehavior: { TargetOriginId: 'content', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
      },
    }),
  );
  return { id: res.Distribution!.Id!, domainName: res.Distribution!.DomainName! };
}

describe('against moto', () => {
  test('startInvalidation invalidates "/*" as one path under the given caller reference', async () => {
    const { id } = await createDistribution();
    const started = await startInvalidation(cf, id, 'restore-2025-01-05-abc');
    expect(started.invalidationId).toEqual(expect.any(String));
    // moto finishes invalidations at once and spells it COMPLETED; the adapter answers in CloudFront's spelling.
    expect(started.status).toBe('Completed');

    const stored = await cf.send(new GetInvalidationCommand({ DistributionId: id, Id: started.invalidationId }));
    expect(stored.Invalidation?.InvalidationBatch).toEqual({ CallerReference: 'restore-2025-01-05-abc', Paths: { Quantity: 1, Items: ['/*'] } });
  });

  test('invalidationStatus reads the state, and names what is missing', async () => {
    const { id } = await createDistribution();
    const { invalidationId } = await startInvalidation(cf, id, 'exec-status');
    await expect(invalidationStatus(cf, id, invalidationId)).resolves.toBe('Completed');
    await expect(invalidationStatus(cf, id, 'INOPE')).rejects.toMatchObject({ name: 'NotFound', field: 'invalidationId' });
    await expect(invalidationStatus(cf, 'ENOPE', invalidationId)).rejects.toMatchObject({ name: 'NotFound', field: 'distributionId' });
  });

  test('startInvalidation on an unknown distribution is NotFound naming distributionId', async () => {
    const err = await startInvalidation(cf, 'ENOSUCHDIST', 'exec-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect(err).toMatchObject({ field: 'distributionId' });
  });

  test('distributionStatus reports status, enabled, aliases and the distribution hostname', async () => {
    const { id, domainName } = await createDistribution(['www.example.com']);
    const state = await distributionStatus(cf, id);
    expect(state).toEqual({ status: expect.stringMatching(/^(InProgress|Deployed)$/), enabled: true, aliases: ['www.example.com'], domainName });
    expect(domainName).toMatch(/\.cloudfront\.net$/);
    await expect(distributionStatus(cf, 'ENOPE')).rejects.toMatchObject({ name: 'NotFound', field: 'distributionId' });
  });

  test('bad ids are refused before any call', async () => {
    await expect(startInvalidation(cf, '', 'exec')).rejects.toMatchObject({ name: 'InvalidInput', field: 'distributionId' });
    await expect(startInvalidation(cf, 'E123', ' ')).rejects.toMatchObject({ name: 'InvalidInput', field: 'callerReference' });
  });
});

describe('with a mocked CloudFront (behaviour moto lacks)', () => {
  // A dedicated instance: mocking the class would also intercept the moto client above.
  const mocked = new CloudFrontClient({ region: 'us-east-1' });
  const mock = mockClient(mocked);
  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  test('a retried start sends the identical request, so CloudFront hands back the same invalidation', async () => {
    mock.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined } });
    const first = await startInvalidation(mocked, 'E1', 'exec-42');
    const retry = await startInvalidation(mocked, 'E1', 'exec-42');
    expect(first).toEqual({ invalidationId: 'I1', status: 'InProgress' });
    expect(retry).toEqual(first);
    const calls = mock.commandCalls(CreateInvalidationCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toEqual(calls[0].args[0].input);
    expect(calls[0].args[0].input).toEqual({ DistributionId: 'E1', InvalidationBatch: { CallerReference: 'exec-42', Paths: { Quantity: 1, Items: ['/*'] } } });
  });

  test('too many invalidations in progress surfaces as the retryable InvalidationsBusy', async () => {
    mock.on(CreateInvalidationCommand).rejects(new TooManyInvalidationsInProgress({ message: 'too many', $metadata: {} }));
    const err = await startInvalidation(mocked, 'E1', 'exec').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidationsBusy);
    expect(err).toMatchObject({ name: 'InvalidationsBusy', distributionId: 'E1' });
  });

  function target(aliases: string[]) {
    mock.on(GetDistributionCommand, { Id: 'ESTANDBY' }).resolves({
      Distribution: {
        Id: 'ESTANDBY',
        ARN: 'arn',
        Status: 'Deployed',
        LastModifiedTime: new Date(),
        InProgressInvalidationBatches: 0,
        DomainName: 'd2222.cloudfront.net',
        DistributionConfig: { Enabled: true, Aliases: { Quantity: aliases.length, Items: aliases } } as never,
      },
    });
  }

  test('moveAlias does nothing when the target already has the alias', async () => {
    target(['standby.example.com', 'www.example.com']);
    await expect(moveAlias(mocked, { alias: 'WWW.example.com', targetDistributionId: 'ESTANDBY' })).resolves.toEqual({ moved: false });
    expect(mock.commandCalls(ListConflictingAliasesCommand)).toHaveLength(0);
    expect(mock.commandCalls(AssociateAliasCommand)).toHaveLength(0);
  });

  test('moveAlias associates the alias with the target and reports where it was, reading every page', async () => {
    target(['standby.example.com']);
    mock
      .on(ListConflictingAliasesCommand, { Marker: undefined })
      .resolves({ ConflictingAliasesList: { Quantity: 1, MaxItems: 100, NextMarker: 'page2', Items: [{ Alias: '*.example.com', DistributionId: '*******OTHER', AccountId: '******111111' }] } })
      .on(ListConflictingAliasesCommand, { Marker: 'page2' })
      .resolves({ ConflictingAliasesList: { Quantity: 1, MaxItems: 100, Items: [{ Alias: 'www.example.com', DistributionId: '*******IMARY', AccountId: '******111111' }] } });
    mock.on(AssociateAliasCommand).resolves({});

    await expect(moveAlias(mocked, { alias: 'www.example.com', targetDistributionId: 'ESTANDBY' })).resolves.toEqual({ moved: true, from: '*******IMARY' });
    expect(mock.commandCalls(ListConflictingAliasesCommand)).toHaveLength(2);
    expect(mock.commandCalls(ListConflictingAliasesCommand)[0].args[0].input).toMatchObject({ DistributionId: 'ESTANDBY', Alias: 'www.example.com' });
    const assoc = mock.commandCalls(AssociateAliasCommand);
    expect(assoc).toHaveLength(1);
    expect(assoc[0].args[0].input).toEqual({ TargetDistributionId: 'ESTANDBY', Alias: 'www.example.com' });
  });

  test('an alias no distribution holds is still associated, with no "from"', async () => {
    target([]);
    mock.on(ListConflictingAliasesCommand).resolves({ ConflictingAliasesList: { Quantity: 0, MaxItems: 100, Items: [] } });
    mock.on(AssociateAliasCommand).resolves({});
    await expect(moveAlias(mocked, { alias: 'www.example.com', targetDistributionId: 'ESTANDBY' })).resolves.toEqual({ moved: true });
    expect(mock.commandCalls(AssociateAliasCommand)).toHaveLength(1);
  });

  test('CloudFront refusing the move (certificate or TXT record) is AliasMoveRejected', async () => {
    target([]);
    mock.on(ListConflictingAliasesCommand).resolves({ ConflictingAliasesList: { Quantity: 0, MaxItems: 100, Items: [] } });
    mock.on(AssociateAliasCommand).rejects(new IllegalUpdate({ message: 'The target distribution certificate does not cover the alias', $metadata: {} }));
    const err = await moveAlias(mocked, { alias: 'www.example.com', targetDistributionId: 'ESTANDBY' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AliasMoveRejected);
    expect((err as Error).message).toContain('certificate does not cover');
  });

  test('a malformed alias is refused before any call', async () => {
    for (const alias of ['', 'not a host', 'example', '-bad.example.com', 'www.example.com/path']) {
      await expect(moveAlias(mocked, { alias, targetDistributionId: 'ESTANDBY' })).rejects.toBeInstanceOf(InvalidInput);
    }
    expect(mock.calls()).toHaveLength(0);
  });
});

test('normaliseInvalidationStatus maps both spellings and passes unknown states through', () => {
  expect(normaliseInvalidationStatus('COMPLETED')).toBe('Completed');
  expect(normaliseInvalidationStatus('Completed')).toBe('Completed');
  expect(normaliseInvalidationStatus('IN_PROGRESS')).toBe('InProgress');
  expect(normaliseInvalidationStatus('InProgress')).toBe('InProgress');
  expect(normaliseInvalidationStatus('Weird')).toBe('Weird');
});
