/**
 * The TypeScript edit helpers, handed to `ctx.editTs` callbacks. This module
 * (and ts-morph with it) is loaded only when a generator edits TypeScript.
 */
export { ensureImport } from './imports.js';
export { ensureStatement, findFunctionBody } from './calls.js';
export { ensureArrayElement, ensureElement, findArray, removeArrayElement, type ArrayElementOptions } from './arrays.js';
export { ensureInterfaceProperty, ensureProperties, ensureProperty, findConstructorArray, findObject, findReturnedObject } from './objects.js';
