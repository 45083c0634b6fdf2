import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  const returned = ts.findReturnedObject(file, 'loadConfig')!;
  ts.ensureProperty(returned, 'rabbitmq', '{ url: e.RABBITMQ_URL, prefetch: e.RABBITMQ_PREFETCH }', { before: 'httpClient' });
  ts.ensureProperty(returned, 'messaging', '{ maxRetries: e.MESSAGING_MAX_RETRIES }', { before: 'httpClient' });
};
export default edit;
