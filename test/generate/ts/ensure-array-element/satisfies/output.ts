export const routes = [
  { service: 'payments', prefix: '/api/payments' }
] satisfies Route[];
