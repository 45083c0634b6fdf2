/** The stable machine format: the CheckResult itself, as documented in the README. */
import type { Reporter } from '../types.js';
import { jsonText } from './utils/format.js';

// Exact data; invisible format characters (bidi controls…) written as escapes, so the file hides nothing.
const json: Reporter = (result) => `${jsonText(result)}\n`;

export default json;
