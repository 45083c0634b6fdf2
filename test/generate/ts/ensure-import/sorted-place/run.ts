import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  ts.ensureImport(file, './messaging/rabbitmq.js', 'connectRabbitMq');
  ts.ensureImport(file, './messaging/rabbitmq.js', 'rabbitmqCheck');
  ts.ensureImport(file, './zz.js', 'last');
};
export default edit;
