import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => ts.ensureImport(file, './consumers/order-created.js', 'startOrderCreatedConsumer');
export default edit;
