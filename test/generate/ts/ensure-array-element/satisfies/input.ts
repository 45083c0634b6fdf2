export const routes = [] satisfies Route[];
