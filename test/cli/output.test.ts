/** CLI output helpers: the progress bar only on a terminal, and errors mapped to exit codes. */
import { describeError, progressBar } from '../../cli/output';
import { InvalidInput, NotFound, VerificationFailed } from '../../lambda/shared/errors';

function io(isTTY: boolean) {
  let err = '';
  return { io: { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s), isTTY }, env: {} }, text: () => err };
}

test('the progress bar draws on a terminal and stays silent in pipes and logs', () => {
  const tty = io(true);
  const bar = progressBar(tty.io, 'restoring');
  bar.update(0, 4);
  bar.update(4, 4);
  bar.end();
  expect(tty.text()).toContain('\rrestoring [------------------------------] 0/4');
  expect(tty.text()).toContain('\rrestoring [##############################] 4/4');
  expect(tty.text().endsWith('\n')).toBe(true);

  const pipe = io(false);
  const quiet = progressBar(pipe.io, 'restoring');
  quiet.update(1, 2);
  quiet.end();
  expect(pipe.text()).toBe('');
});

test('bad input exits 2 naming the flag; everything else exits 1 with its name', () => {
  expect(describeError(new InvalidInput('source.at', 'a time with a zone', 'bad time'))).toEqual({
    exitCode: 2,
    error: { name: 'InvalidInput', field: '--to', expected: 'a time with a zone', message: 'bad time' },
  });
  expect(describeError(new NotFound('source.bucket', 'an existing bucket', 'no replica')).error.field).toBe('--from-bucket');
  const failed = describeError(new VerificationFailed([{ key: 'a', expected: 'x', actual: 'y' }]));
  expect(failed.exitCode).toBe(1);
  expect(failed.error).toMatchObject({ name: 'VerificationFailed', mismatches: [{ key: 'a', expected: 'x', actual: 'y' }] });
  expect(describeError(new Error('boom'))).toEqual({ exitCode: 1, error: { name: 'Error', message: 'boom' } });
});
