import type { ArrayLiteralExpression } from 'ts-morph';
import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  const array = ts.findFunctionBody(file, 'main')!.getVariableDeclarationOrThrow('closers').getInitializerOrThrow() as ArrayLiteralExpression;
  ts.ensureElement(array, "{ name: 'rabbitmq', close: () => rabbitmq.close() }", { key: { property: 'name', value: 'rabbitmq' }, before: { property: 'name', values: ['postgres', 'tracing'] } });
};
export default edit;
