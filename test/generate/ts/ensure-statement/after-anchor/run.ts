import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  if (!ts.ensureStatement(file, 'main', 'const consumer = createConsumer(config);', { after: 'buildApp(' })) return { manual: ['no main'] };
};
export default edit;
