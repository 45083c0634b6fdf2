/**
 * The PaymentSettled event: its type, version and the shape of its data.
 * Add the fields consumers need. A change that old consumers cannot read
 * (a field removed, renamed or retyped) is a new version: bump it and keep
 * publishing the old one until every consumer has moved.
 * Consumers keep a copy of this file (`arch add-consumer` copies it); keep
 * the copies in step.
 */
import { z } from 'zod';
import { defineEvent } from '../messaging/envelope.js';

export const PaymentSettled = defineEvent(
  'PaymentSettled',
  1,
  z.object({
    /** The id of the entity the event is about; also the message key (ordering per entity). */
    id: z.string().min(1),
  }),
);

export type PaymentSettled = z.infer<typeof PaymentSettled.schema>;
