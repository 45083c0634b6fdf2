import path from 'node:path';

export const x = 1;
