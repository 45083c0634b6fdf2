/**
 * TypeScript edits shared by the generators that wire code into a service
 * made by create-service: instrumentations in src/instrumentation.ts, and
 * the instructions to give when an anchor is missing.
 */
import type { TsEdit } from './ts/project.js';

export interface Manual {
  manual: string[];
}

/** "`what` not found in `file`; add these lines by hand". */
export function manualSteps(file: string, what: string, lines: readonly string[]): Manual {
  return { manual: [`${file}: ${what} not found where archkit expects it. Add by hand:`, ...lines.map((l) => `    ${l}`)] };
}

/** Tracing: `new <name>()` from `module` in NodeSDK's `instrumentations`. */
export function instrumentationEdit(path: string, instrumentation: { name: string; module: string }): TsEdit {
  const { name, module } = instrumentation;
  return (file, h) => {
    const array = h.findConstructorArray(file, 'NodeSDK', 'instrumentations');
    if (!array) return manualSteps(path, '`new NodeSDK({ instrumentations: [...] })`', [`import { ${name} } from '${module}';`, `new ${name}(),   // in instrumentations`]);
    h.ensureImport(file, module, name);
    h.ensureElement(array, `new ${name}()`);
  };
}
