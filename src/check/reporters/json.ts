/** The stable machine format: the CheckResult itself, as documented in the README. */
import type { Reporter } from '../types.js';

const json: Reporter = (result) => `${JSON.stringify(result, null, 2)}\n`;

export default json;
