/**
 * Builds version histories in the emulator and remembers what every key held at each checkpoint,
 * as the oracle for restore tests.
 *
 * moto stamps versions to the second, so a checkpoint waits for the next second to begin: every
 * write before it is stamped no later than the checkpoint time T, every write after it later.
 */
import { DeleteObjectCommand, PutObjectCommand, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';

export type Op = { readonly kind: 'put'; readonly key: string; readonly body: string } | { readonly kind: 'delete'; readonly key: string };

export interface Checkpoint {
  /** A time T at which `content` is what the bucket showed. */
  readonly at: Date;
  readonly content: ReadonlyMap<string, string>;
}

/** Resolves just after the current wall-clock second ends; returns the last millisecond of it. */
export async function nextSecond(): Promise<Date> {
  const now = Date.now();
  const endOfSecond = now - (now % 1000) + 999;
  await new Promise((r) => setTimeout(r, endOfSecond - now + 5));
  return new Date(endOfSecond);
}

export class HistoryBuilder {
  private readonly content = new Map<string, string>();
  readonly checkpoints: Checkpoint[] = [];

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: string | Buffer, extra: Partial<PutObjectCommandInput> = {}): Promise<string> {
    // An explicit length: the SDK cannot tell an empty string's length and warns about streams.
    const bytes = Buffer.from(body);
    const res = await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ...extra }));
    this.content.set(key, body.toString());
    return res.VersionId!;
  }

  /** A plain DELETE: adds a delete marker. */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    this.content.delete(key);
  }

  async apply(op: Op): Promise<void> {
    if (op.kind === 'put') await this.put(op.key, op.body);
    else await this.delete(op.key);
  }

  /** Ends the current second and records what every key holds at its end. */
  async checkpoint(): Promise<Checkpoint> {
    return this.record(await nextSecond());
  }

  /** Records a checkpoint at `at`, for builders that share one `nextSecond()` (lock-step histories). */
  record(at: Date): Checkpoint {
    const cp = { at, content: new Map(this.content) };
    this.checkpoints.push(cp);
    return cp;
  }

  /** What the bucket shows now according to the history (not read from S3). */
  current(): ReadonlyMap<string, string> {
    return new Map(this.content);
  }
}
