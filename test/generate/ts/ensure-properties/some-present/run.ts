import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  ts.ensureProperties(
    ts.findObject(file, 'envSchema')!,
    [
      ['RABBITMQ_URL', 'z.url()'],
      ['MESSAGING_MAX_RETRIES', 'z.coerce.number().default(3)'],
      ['RABBITMQ_URL', 'z.string()'],
      ['OUTBOX_POLL_INTERVAL_MS', 'z.coerce.number().default(500)'],
    ],
    { before: 'HTTP_CLIENT_TIMEOUT_MS' },
  );
};
export default edit;
