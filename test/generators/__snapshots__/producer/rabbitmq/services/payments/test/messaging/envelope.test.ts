import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeEvent, defineEvent, encodeEvent, InvalidMessageError, retryCount, retryDelayMs } from '../../src/messaging/envelope.js';

const Sample = defineEvent('Sample', 2, z.object({ id: z.string().min(1), amount: z.number().int() }));
const envelope = { id: 'm-1', type: 'Sample', version: 2, occurredAt: '2026-01-01T00:00:00.000Z', data: { id: 'a', amount: 3 } };

describe('event envelope', () => {
  it('round-trips through encode and decode', () => {
    expect(decodeEvent(Sample, encodeEvent(envelope))).toEqual(envelope);
  });

  it('rejects what does not fit the contract as an InvalidMessageError', () => {
    expect(() => decodeEvent(Sample, 'not json')).toThrow(InvalidMessageError);
    expect(() => decodeEvent(Sample, JSON.stringify({ ...envelope, version: 1 }))).toThrow(InvalidMessageError);
    expect(() => decodeEvent(Sample, JSON.stringify({ ...envelope, type: 'Other' }))).toThrow(InvalidMessageError);
    expect(() => decodeEvent(Sample, JSON.stringify({ ...envelope, data: { id: 'a', amount: 'x' } }))).toThrow(/data\.amount/);
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(40, 1000)).toBe(300_000);
  });

  it('reads a retry-count header as a small non-negative integer, anything else as 0', () => {
    expect([0, 2, '3', ' 4 ', Buffer.from('5')].map(retryCount)).toEqual([0, 2, 3, 4, 5]);
    expect([-5, '-5', 0.5, '0.5', 'x', '', NaN, Infinity, 1e9, '99999', null, undefined, {}].map(retryCount)).toEqual(Array(13).fill(0));
  });
});
