import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => ts.ensureImport(file, './config.js', 'type Config');
export default edit;
