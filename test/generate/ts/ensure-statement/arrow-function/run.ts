import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  if (!ts.ensureStatement(file, 'shutdown', 'await consumer.stop();', { before: 'app.close' })) return { manual: ['no shutdown'] };
};
export default edit;
