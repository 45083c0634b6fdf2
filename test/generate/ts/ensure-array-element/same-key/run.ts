import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  ts.ensureArrayElement(file, 'routes', "{ service: 'payments', prefix: '/api/payments' }", { key: { property: 'service', value: 'payments' } });
};
export default edit;
