export const routes = [
  { service: 'orders', prefix: '/api/orders' },
];
