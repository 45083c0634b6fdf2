import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  const array = ts.findConstructorArray(file, 'NodeSDK', 'instrumentations');
  if (!array) return { manual: ['no instrumentations array'] };
  ts.ensureElement(array, 'new PgInstrumentation()');
};
export default edit;
