import { describe, expect, it } from 'vitest';
import { nameCases, suggestKebab, validateServiceName, validateWorkspaceName } from '../../src/generate/names.js';

describe('validateServiceName', () => {
  it.for(['orders', 'order-items', 'a1', 'svc-2-b', 'x'.repeat(40)])('accepts %j', (name) => {
    expect(validateServiceName(name)).toBeUndefined();
  });

  it.for([
    ['', /required/],
    ['   ', /required/],
    ['Orders', /kebab-case.*did you mean "orders"/],
    ['my service', /kebab-case.*"my-service"/],
    ['../etc', /path separators/],
    ['a/b', /path separators/],
    ['a\\b', /path separators/],
    ['..', /path separators/],
    ['1orders', /kebab-case/],
    ['orders-', /kebab-case/],
    ['order--items', /kebab-case/],
    ['order_items', /kebab-case/],
    ['x'.repeat(41), /41 characters long; the limit is 40/],
    ['orders-db', /-db/],
    ['class', /reserved word/],
    ['services', /reserved by the workspace/],
    ['node_modules', /kebab-case/],
    ['http', /built-in/],
    ['a"b', /kebab-case/],
    ['a`b${c}', /kebab-case/],
    ['ordérs', /kebab-case/],
    ['a\nb', /kebab-case/],
  ] as const)('rejects %j', ([name, message]) => {
    expect(validateServiceName(name)).toMatch(message);
  });
});

describe('validateWorkspaceName', () => {
  it('accepts npm package names', () => {
    expect(validateWorkspaceName('shop')).toBeUndefined();
    expect(validateWorkspaceName('my.shop_2')).toBeUndefined();
  });
  it.for(['', 'Shop', '../x', 'a b', 'node_modules', 'fs'])('rejects %j', (name) => {
    expect(validateWorkspaceName(name)).toBeTypeOf('string');
  });
});

describe('nameCases', () => {
  it('derives every case', () => {
    expect(nameCases('order-items')).toEqual({ kebab: 'order-items', pascal: 'OrderItems', camel: 'orderItems', constant: 'ORDER_ITEMS', snake: 'order_items' });
  });
  it('suggests a kebab-case name', () => {
    expect(suggestKebab('My Fancy_Service!')).toBe('my-fancy-service');
    expect(suggestKebab('OrderItems')).toBe('order-items');
  });
});
