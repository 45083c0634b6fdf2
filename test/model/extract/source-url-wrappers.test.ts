import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.js';
import { at, call, scan, write } from './source-helpers.js';

const WEB = 'services/web';

/** A front end's request helper: a default-exported object whose methods pass their endpoint to `fetch` through a helper. */
const API_CLIENT = [
  'const sendRequest = async (method: string, endpoint: string, data: unknown = null) => {',
  '  const options = { method: method.toUpperCase(), body: data ? JSON.stringify(data) : undefined };',
  "  return fetch(endpoint, method === 'GET' ? undefined : options);",
  '};',
  'const apiClient = {',
  "  get: (endpoint: string) => sendRequest('GET', endpoint),",
  "  post: (endpoint: string, data: unknown) => sendRequest('POST', endpoint, data),",
  "  delete: (endpoint: string) => sendRequest('DELETE', endpoint),",
  '};',
  'export default apiClient;',
  '',
].join('\n');

describe('scanSource: URL-parameter wrappers', () => {
  it('makes each call of a wrapper whose parameter becomes the URL an outbound call at its call site', async () => {
    const root = tmpDir();
    write(root, {
      [`${WEB}/tsconfig.json`]: JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
      [`${WEB}/common/services/ApiClient.ts`]: API_CLIENT,
      [`${WEB}/modules/catalog/ProductService.ts`]: [
        "import apiClient from '@/common/services/ApiClient';",
        "const baseUrl = '/api/product';",
        'export async function getProducts() {',
        '  return (await apiClient.get(`${baseUrl}/storefront/products`)).json();',
        '}',
        'export async function getProduct(slug: string) {',
        '  return apiClient.get(`${process.env.API_BASE_PATH}/product/${slug}`);',
        '}',
        'export async function removeProducts(ids: string[]) {',
        '  return Promise.all(ids.map((id) => apiClient.delete(`${baseUrl}/${id}`)));',
        '}',
        '',
      ].join('\n'),
      [`${WEB}/modules/cart/CartService.ts`]: [
        "import apiClient from '../../common/services/ApiClient';",
        'export const addToCart = (item: unknown) => apiClient.post("/api/cart/items", item);',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['web=services/web']);
    expect(facts('web').calls).toEqual([
      call({ client: 'ApiClient', method: 'POST', url: '/api/cart/items', location: at(`${WEB}/modules/cart/CartService.ts`, 2, 45) }),
      call({ client: 'ApiClient', url: '${baseUrl}/storefront/products', location: at(`${WEB}/modules/catalog/ProductService.ts`, 4, 17) }),
      call({ client: 'ApiClient', url: 'env:API_BASE_PATH', envVar: 'API_BASE_PATH', location: at(`${WEB}/modules/catalog/ProductService.ts`, 7, 10) }),
      call({ client: 'ApiClient', method: 'DELETE', url: '${baseUrl}/${id}', inLoop: true, location: at(`${WEB}/modules/catalog/ProductService.ts`, 10, 38) }),
    ]);
  });

  it('follows exported functions, arrow constants, class methods of an exported instance and namespace imports; a breaker at the call site counts', async () => {
    const root = tmpDir();
    const src = 'services/reports/src';
    write(root, {
      [`${src}/http.ts`]: [
        "import axios from 'axios';",
        'export async function getJson(url: string) {',
        '  return (await axios.get(url)).data;',
        '}',
        'export const postJson = (url: string, body: unknown) => fetch(url, { method: "POST", body: JSON.stringify(body) });',
        '',
      ].join('\n'),
      [`${src}/client.ts`]: [
        "import { getJson } from './http';",
        'export class Client {',
        '  load(path: string) {',
        '    return getJson(path);',
        '  }',
        '}',
        'export const client = new Client();',
        '',
      ].join('\n'),
      [`${src}/report.ts`]: [
        "import { getJson } from './http';",
        "import * as http from './http';",
        "import { client } from './client';",
        "import CircuitBreaker from 'opossum';",
        "export const summary = new CircuitBreaker(() => getJson('http://billing/summary'));",
        'export async function report() {',
        "  await getJson(process.env.ORDERS_URL + '/orders');",
        "  await http.postJson('http://payments:3000/refunds', {});",
        "  await client.load('http://billing/invoices');",
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['reports'], ['reports', 'orders', 'payments', 'billing']);
    expect(facts('reports').calls).toEqual([
      call({ client: 'http', url: 'http://billing/summary', target: 'billing', breaker: true, location: at(`${src}/report.ts`, 5, 49) }),
      call({ client: 'http', url: 'env:ORDERS_URL', envVar: 'ORDERS_URL', target: 'orders', location: at(`${src}/report.ts`, 7, 9) }),
      call({ client: 'http', method: 'POST', url: 'http://payments:3000/refunds', target: 'payments', location: at(`${src}/report.ts`, 8, 9) }),
      call({ client: 'client', url: 'http://billing/invoices', target: 'billing', location: at(`${src}/report.ts`, 9, 9) }),
    ]);
  });

  it('keeps the call site quiet when a wrapper is never given an address, and gives no target to a third-party host', async () => {
    const root = tmpDir();
    const src = 'services/web/src';
    write(root, {
      [`${src}/api.ts`]: ['export async function get(endpoint: string) {', '  return fetch(endpoint);', '}', ''].join('\n'),
      // Never called with an address: its own call stays, with no URL.
      [`${src}/unused.ts`]: ['export function load(endpoint: string) {', '  return fetch(endpoint);', '}', ''].join('\n'),
      [`${src}/pages.ts`]: [
        "import { get } from './api';",
        "import { load } from './unused';",
        "import { track } from './track';",
        'export async function page(id: string) {',
        "  await get('https://api.stripe.com/v1/charges');",
        '  await load(id);',
        "  track('/api/orders');",
        '}',
        '',
      ].join('\n'),
      // Takes an address and hands it to no client.
      [`${src}/track.ts`]: ['export function track(path: string) {', '  console.log(path);', '}', ''].join('\n'),
    });
    const { facts } = await scan(root, ['web'], ['web', 'orders']);
    expect(facts('web').calls).toEqual([
      call({ client: 'api', url: 'https://api.stripe.com/v1/charges', location: at(`${src}/pages.ts`, 5, 9) }),
      call({ location: at(`${src}/unused.ts`, 2, 10) }),
    ]);
  });
});
