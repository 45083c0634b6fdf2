export const routes = [
  { service: 'orders', prefix: '/api/orders' },
  { service: 'payments', prefix: '/api/payments' },
];
