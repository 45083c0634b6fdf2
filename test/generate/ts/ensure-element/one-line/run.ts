import type { ArrayLiteralExpression } from 'ts-morph';
import type { Edit } from '../../driver-types.js';
const edit: Edit = (file, ts) => {
  const body = ts.findFunctionBody(file, 'main')!;
  ts.ensureElement(body.getVariableDeclarationOrThrow('readinessChecks').getInitializerOrThrow() as ArrayLiteralExpression, 'rabbitmqCheck(rabbitmq)');
  ts.ensureElement(body.getVariableDeclarationOrThrow('empty').getInitializerOrThrow() as ArrayLiteralExpression, "'a'");
};
export default edit;
