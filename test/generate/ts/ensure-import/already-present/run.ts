import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => ts.ensureImport(file, './config.js', 'other');
export default edit;
