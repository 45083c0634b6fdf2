import type { TsEdit } from '../../../src/generate/ts/project.js';

export type Edit = TsEdit;
