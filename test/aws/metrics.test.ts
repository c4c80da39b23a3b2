/** Recovery metrics against moto (PutMetricData, ListMetrics and GetMetricStatistics are implemented). */
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { putRecoveryMetrics } from '../../lambda/aws/metrics';

const cw = new CloudWatchClient({ region: 'us-east-1' });
afterAll(() => cw.destroy());

async function stat(namespace: string, name: string, dimensions: Array<{ Name: string; Value: string }>) {
  const res = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName: name,
      Dimensions: dimensions,
      StartTime: new Date(Date.now() - 3600_000),
      EndTime: new Date(Date.now() + 60_000),
      Period: 60,
      Statistics: ['Maximum', 'SampleCount'],
    }),
  );
  return res.Datapoints ?? [];
}

test('publishes each metric with the Environment dimension and its unit', async () => {
  // A namespace of its own: moto is shared by every test of the run.
  const namespace = `SiteDR-test-${randomBytes(3).toString('hex')}`;
  const result = await putRecoveryMetrics(cw, {
    namespace,
    environment: 'prod',
    metrics: [
      { name: 'RecoveryPointMinutes', value: 12.5 },
      { name: 'RecoveryTimeMinutes', value: 41 },
      { name: 'RunbookSucceeded', value: 1 },
    ],
  });
  expect(result).toEqual({ published: 3 });

  const listed = await cw.send(new ListMetricsCommand({ Namespace: namespace }));
  expect((listed.Metrics ?? []).map((m) => m.MetricName).sort()).toEqual(['RecoveryPointMinutes', 'RecoveryTimeMinutes', 'RunbookSucceeded']);
  for (const m of listed.Metrics ?? []) expect(m.Dimensions).toEqual([{ Name: 'Environment', Value: 'prod' }]);

  const env = [{ Name: 'Environment', Value: 'prod' }];
  expect(await stat(namespace, 'RecoveryPointMinutes', env)).toEqual([expect.objectContaining({ Maximum: 12.5, SampleCount: 1, Unit: 'None' })]);
  expect(await stat(namespace, 'RunbookSucceeded', env)).toEqual([expect.objectContaining({ Maximum: 1, Unit: 'Count' })]);
  // Another environment's series is a different metric: nothing there.
  expect(await stat(namespace, 'RecoveryPointMinutes', [{ Name: 'Environment', Value: 'dev' }])).toEqual([]);
});

test('extra dimensions ride along with Environment; an explicit unit wins over the default', async () => {
  const namespace = `SiteDR-test-${randomBytes(3).toString('hex')}`;
  await putRecoveryMetrics(cw, { namespace, environment: 'dev', dimensions: { Runbook: 'Restore' }, metrics: [{ name: 'RecoveryTimeMinutes', value: 3, unit: 'Count' }] });
  const dims = [
    { Name: 'Environment', Value: 'dev' },
    { Name: 'Runbook', Value: 'Restore' },
  ];
  expect(await stat(namespace, 'RecoveryTimeMinutes', dims)).toEqual([expect.objectContaining({ Maximum: 3, Unit: 'Count' })]);
});

describe('requests (mocked)', () => {
  const mocked = new CloudWatchClient({ region: 'us-east-1' });
  const mock = mockClient(mocked);
  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());

  test('the SiteDR namespace is the default, and more than 1,000 metrics are split across calls', async () => {
    mock.on(PutMetricDataCommand).resolves({});
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ name: `M${i}`, value: i }));
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', metrics })).resolves.toEqual({ published: 1001 });
    const calls = mock.commandCalls(PutMetricDataCommand);
    expect(calls.map((c) => [c.args[0].input.Namespace, c.args[0].input.MetricData?.length])).toEqual([
      ['SiteDR', 1000],
      ['SiteDR', 1],
    ]);
    // Unknown names get unit None, never an inherited property of the defaults table.
    expect(calls[1].args[0].input.MetricData?.[0]).toMatchObject({ MetricName: 'M1000', Value: 1000, Unit: 'None' });
  });

  test('no metrics, no call; bad values and names are refused naming the field', async () => {
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', metrics: [] })).resolves.toEqual({ published: 0 });
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', metrics: [{ name: 'constructor', value: 1 }] })).resolves.toEqual({ published: 1 });
    expect(mock.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData?.[0].Unit).toBe('None');
    mock.reset();
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', metrics: [{ name: 'BackupAgeMinutes', value: NaN }] })).rejects.toMatchObject({ name: 'InvalidInput', field: 'metrics[0].value' });
    await expect(putRecoveryMetrics(mocked, { environment: '', metrics: [{ name: 'BackupAgeMinutes', value: 1 }] })).rejects.toMatchObject({ name: 'InvalidInput', field: 'environment' });
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', namespace: 'AWS/S3', metrics: [] })).rejects.toMatchObject({ name: 'InvalidInput', field: 'namespace' });
    await expect(putRecoveryMetrics(mocked, { environment: 'prod', dimensions: { Environment: 'x' }, metrics: [] })).rejects.toMatchObject({ name: 'InvalidInput', field: 'dimensions' });
    expect(mock.calls()).toHaveLength(0);
  });
});
