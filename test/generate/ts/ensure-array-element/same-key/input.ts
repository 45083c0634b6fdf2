export const routes = [
  // the user changed the prefix; it must not be duplicated
  { service: 'payments', prefix: '/v2/pay', public: true },
];
