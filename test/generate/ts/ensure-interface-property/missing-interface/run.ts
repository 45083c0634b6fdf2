import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  if (!ts.ensureInterfaceProperty(file, 'Config', 'rabbitmq', '{ url: string }')) return { manual: ['src/config.ts: add `rabbitmq: { url: string }` to Config'] };
};
export default edit;
