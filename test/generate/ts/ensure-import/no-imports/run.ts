import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => ts.ensureImport(file, 'node:path', 'path', { default: true });
export default edit;
