import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  const schema = ts.findObject(file, 'envSchema')!;
  ts.ensureProperty(schema, 'RABBITMQ_URL', "z.url({ protocol: /^amqps?$/ })", { before: 'HTTP_CLIENT_TIMEOUT_MS' });
  ts.ensureProperty(schema, 'RABBITMQ_PREFETCH', 'z.coerce.number().default(10)', { before: 'HTTP_CLIENT_TIMEOUT_MS' });
};
export default edit;
