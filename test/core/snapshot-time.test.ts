import { newSnapshotId } from '../../lambda/core/snapshot';
import { snapshotTime } from '../../lambda/core/report';

describe('snapshotTime', () => {
  it('reads the time back from the ids newSnapshotId writes (milliseconds included)', () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    expect(snapshotTime(newSnapshotId(at, 'a1b2c3'))).toBe('2026-12-01T10:00:00.123Z');
  });

  it('reads ids without milliseconds, and refuses anything else', () => {
    expect(snapshotTime('20261201T100000Z-a1b2c3')).toBe('2026-12-01T10:00:00Z');
    expect(snapshotTime('latest')).toBeUndefined();
  });
});
