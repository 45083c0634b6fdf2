export const notMain = 1;
