import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  ts.ensureInterfaceProperty(file, 'Config', 'rabbitmq', '{ url: string; prefetch: number }', { before: 'httpClient', docs: 'RabbitMQ connection.' });
};
export default edit;
