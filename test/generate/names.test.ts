import { describe, expect, it } from 'vitest';
import { eventCases, eventFromTopic, nameCases, suggestKebab, topicCases, validateEventName, validateNewServiceName, validateServiceName, validateTopicName, validateWorkspaceName } from '../../src/generate/names.js';
import { HOSTILE } from '../helpers/hostile.js';

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
    // Names that become keys every object already has (the gateway's and each service's `services` map).
    ['constructor', /object key "constructor"/],
    ['prototype', /object key "prototype"/],
    ['to-string', /object key "toString"/],
    ['value-of', /object key "valueOf"/],
    ['has-own-property', /object key "hasOwnProperty"/],
  ] as const)('rejects %j', ([name, message]) => {
    expect(validateServiceName(name)).toMatch(message);
  });

  it('accepts names that only contain an object key', () => {
    for (const name of ['constructors', 'string', 'proto', 'value-ofs', 'gateway']) expect(validateServiceName(name), name).toBeUndefined();
  });
});

describe('validateNewServiceName', () => {
  it("refuses the gateway's name, and what validateServiceName refuses", () => {
    expect(validateNewServiceName('gateway')).toMatch(/reserved for the workspace's API gateway/);
    expect(validateNewServiceName('constructor')).toMatch(/object key/);
    expect(validateNewServiceName('Orders')).toMatch(/kebab-case/);
  });
  it('accepts other names, those near the gateway\'s included', () => {
    for (const name of ['orders', 'gateways', 'api-gateway', 'edge']) expect(validateNewServiceName(name), name).toBeUndefined();
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

describe('validateTopicName', () => {
  it.for(['order-created', 'orders.v1', 'Orders_Created', 'a'])('accepts %j', (name) => {
    expect(validateTopicName(name)).toBeUndefined();
  });
  it.for(['', '1orders', '.hidden', 'a..b', 'a/b', '../x', 'order created', 'a`b', 'a${b}', 'a*/b', 'a\nb', "a'b", 'a'.repeat(121)])('rejects %j', (name) => {
    expect(validateTopicName(name)).toMatch(/topic name/);
  });
  it('rejects every hostile string (but the plain word "null")', () => {
    for (const text of HOSTILE.filter((t) => t !== 'null')) expect(validateTopicName(text), text).toBeDefined();
  });
});

describe('validateEventName', () => {
  it.for(['OrderCreated', 'A', 'V2Event', 'PromiseMade', 'RecordAdded', 'MapUpdated'])('accepts %j', (name) => {
    expect(validateEventName(name)).toBeUndefined();
  });
  it.for(['Promise', 'Record', 'Array', 'Map', 'Set', 'Date', 'Error', 'Partial', 'Buffer', 'JSON', 'NodeJS', 'URL'])('rejects the global %j', (name) => {
    expect(validateEventName(name)).toMatch(/global TypeScript type or value/);
  });
  it('rejects other shapes and offers the PascalCase form', () => {
    expect(validateEventName('order-created')).toMatch(/PascalCase.*did you mean "OrderCreated"/);
    expect(validateEventName('orderCreated')).toMatch(/did you mean "OrderCreated"/);
    for (const bad of ['', 'Order Created', 'Order`Created', 'Order${x}', 'Order*/', 'Order\nCreated', '1Order']) expect(validateEventName(bad), bad).toBeDefined();
  });
});

describe('topic and event cases', () => {
  it('derive identifiers from topics and events', () => {
    expect(topicCases('orders.v1_created')).toMatchObject({ kebab: 'orders-v1-created', pascal: 'OrdersV1Created', camel: 'ordersV1Created', constant: 'ORDERS_V1_CREATED' });
    expect(topicCases('OrderCreated').kebab).toBe('order-created');
    expect(eventCases('HTTPRequestSeen')).toMatchObject({ kebab: 'http-request-seen', pascal: 'HttpRequestSeen' });
    expect(eventFromTopic('order-created')).toBe('OrderCreated');
  });
});
