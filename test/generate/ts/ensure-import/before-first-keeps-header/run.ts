import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => ts.ensureImport(file, './place-order/place-order.saga.js', 'placeOrderSaga');
export default edit;
