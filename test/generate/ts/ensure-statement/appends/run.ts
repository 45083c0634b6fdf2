import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  if (!ts.ensureStatement(file, 'main', 'await consumer.start();')) return { manual: ['no main'] };
};
export default edit;
