import { logExportPrefix, previousWeek, sanitiseLogGroupName } from '../../lambda/core/log-export-paths';

describe('previousWeek', () => {
  test('is the 7 full UTC days before today, ending on the last millisecond of yesterday', () => {
    const range = previousWeek(new Date('2025-01-13T09:30:00Z'));
    expect(range.from.toISOString()).toBe('2025-01-06T00:00:00.000Z');
    expect(range.to.toISOString()).toBe('2025-01-12T23:59:59.999Z');
    expect(range.to.getTime() - range.from.getTime() + 1).toBe(7 * 24 * 3600 * 1000);
  });

  test('depends only on the UTC day, not the time of day', () => {
    expect(previousWeek(new Date('2025-01-13T00:00:00.000Z'))).toEqual(previousWeek(new Date('2025-01-13T23:59:59.999Z')));
  });

  test('consecutive weeks neither overlap nor leave a gap', () => {
    const a = previousWeek(new Date('2025-03-03T12:00:00Z'));
    const b = previousWeek(new Date('2025-03-10T01:00:00Z'));
    expect(b.from.getTime()).toBe(a.to.getTime() + 1);
  });

  test('crosses month and year boundaries in UTC', () => {
    const range = previousWeek(new Date('2025-01-01T01:30:00Z'));
    expect(range.from.toISOString()).toBe('2024-12-25T00:00:00.000Z');
    expect(range.to.toISOString()).toBe('2024-12-31T23:59:59.999Z');
  });

  test('refuses an invalid date', () => {
    expect(() => previousWeek(new Date('nope'))).toThrow(RangeError);
  });
});

describe('log export keys', () => {
  test('sanitises a log group name into one key segment', () => {
    expect(sanitiseLogGroupName('/aws/lambda/site-dr-restore')).toBe('aws-lambda-site-dr-restore');
    expect(sanitiseLogGroupName('/aws/vendedlogs/states/Restore#1')).toBe('aws-vendedlogs-states-Restore_1');
    expect(sanitiseLogGroupName('aws-waf-logs-site')).toBe('aws-waf-logs-site');
    expect(sanitiseLogGroupName('//double//slash')).toBe('double-slash');
    expect(() => sanitiseLogGroupName('/')).toThrow(RangeError);
  });

  test('the prefix is logs/YYYY/MM/DD/<group>, dated by the UTC day of the export end', () => {
    expect(logExportPrefix('/aws/lambda/x', new Date('2025-01-12T23:59:59.999Z'))).toBe('logs/2025/01/12/aws-lambda-x');
    expect(logExportPrefix('/aws/lambda/x', previousWeek(new Date('2025-03-03T08:00:00Z')).to)).toBe('logs/2025/03/02/aws-lambda-x');
  });
});
