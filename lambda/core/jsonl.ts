/**
 * JSON Lines with a header: the first line describes the document, each further line is one
 * record. Large plans and manifests use it so they can be written and read a line at a time.
 */
import { z } from 'zod';
import { InvalidInput } from '../shared/errors';

export function encodeJsonLines(header: unknown, records: Iterable<unknown>): string {
  const lines = [JSON.stringify(header)];
  for (const record of records) lines.push(JSON.stringify(record));
  return lines.join('\n') + '\n';
}

/**
 * Decodes and validates a header + records document. Any malformed line is an InvalidInput naming
 * `field` and the line number, so a bad manifest is rejected before anything is touched.
 */
export function decodeJsonLines<H extends z.ZodType, R extends z.ZodType>(
  text: string,
  schemas: { header: H; record: R },
  field: string,
): { header: z.output<H>; records: z.output<R>[] } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new InvalidInput(field, 'a JSON Lines document with a header line', 'the document is empty');
  const header = parseLine(lines[0], 1, schemas.header, field);
  const records = lines.slice(1).map((line, i) => parseLine(line, i + 2, schemas.record, field));
  return { header, records };
}

function parseLine<S extends z.ZodType>(line: string, lineNumber: number, schema: S, field: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InvalidInput(field, 'one JSON value per line', `line ${lineNumber} is not JSON`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidInput(field, issue.message, `line ${lineNumber}${where}: ${issue.message}`);
  }
  return result.data;
}
