import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  if (!ts.ensureStatement(file, 'main', 'start();')) return { manual: ['add `start();` at the end of main() in src/main.ts'] };
};
export default edit;
