/**
 * The envelope every event travels in, and the contract that types and
 * validates its data. Producers validate before they record an event;
 * consumers validate what they receive, and a message that does not fit its
 * contract is an `InvalidMessageError`: retrying cannot fix it, so it goes
 * straight to the dead-letter queue.
 */
import { z } from 'zod';

export interface EventEnvelope<T> {
  /** Unique per event; consumers record it to apply each event once. */
  id: string;
  type: string;
  /** Bump for breaking changes of `data`. */
  version: number;
  occurredAt: string;
  data: T;
}

export interface EventContract<T> {
  type: string;
  version: number;
  schema: z.ZodType<T>;
}

export function defineEvent<T>(type: string, version: number, schema: z.ZodType<T>): EventContract<T> {
  return { type, version, schema };
}

export class InvalidMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidMessageError';
  }
}

export function encodeEvent(envelope: EventEnvelope<unknown>): Buffer {
  return Buffer.from(JSON.stringify(envelope));
}

export function decodeEvent<T>(contract: EventContract<T>, content: Buffer | string): EventEnvelope<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString());
  } catch (error) {
    throw new InvalidMessageError('message body is not JSON', { cause: error });
  }
  const shape = z.object({
    id: z.string().min(1),
    type: z.literal(contract.type),
    version: z.literal(contract.version),
    occurredAt: z.string(),
    data: contract.schema,
  });
  const parsed = shape.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidMessageError(`not a valid ${contract.type} v${contract.version}: ${problems}`);
  }
  return parsed.data as EventEnvelope<T>;
}

/** Backoff before retry `attempt` (1, 2, …): base × 2^(attempt − 1), at most five minutes. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000);
}

/** The largest retry count a header may carry; anything above is not ours. */
const MAX_RETRY_COUNT = 1000;

/**
 * A retry-count header as it came off the wire (a number, a string, a Buffer,
 * anything): a small non-negative integer, or 0 for anything else (`-5`,
 * `0.5`, `"x"`, `1e9`), so a bad header can neither skip the retry limit nor
 * name a retry queue that does not exist.
 */
export function retryCount(header: unknown): number {
  const text = Buffer.isBuffer(header) ? header.toString() : typeof header === 'number' ? String(header) : header;
  if (typeof text !== 'string' || !/^\d{1,4}$/.test(text.trim())) return 0;
  const count = Number(text.trim());
  return count <= MAX_RETRY_COUNT ? count : 0;
}
