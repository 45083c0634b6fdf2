/**
 * The route table of the gateway: one entry per service behind it, found by
 * `service`. `create-service` adds an entry for every new service and never
 * changes an entry that is already here, so edit them freely: prefixes,
 * public routes, roles, scopes, limits, timeouts (see GatewayRoute for each field).
 *
 * A locked-down entry looks like:
 *   {
 *     service: 'payments', prefix: '/api/payments', rewritePrefix: '/payments',
 *     roles: ['billing'], scopes: ['payments:write'],
 *     rateLimit: { max: 20, windowMs: 60_000 }, timeoutMs: 2000,
 *   },
 */
import type { GatewayRoute } from './gateway/route.js';

export const routes: GatewayRoute[] = [
  { service: 'notifier', prefix: '/api/notifier', rewritePrefix: '/notifier' },
  { service: 'orders', prefix: '/api/orders', rewritePrefix: '/orders' }
];
