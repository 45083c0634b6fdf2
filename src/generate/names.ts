import { builtinModules } from 'node:module';

/** Longest service name accepted: it becomes a DNS label, a container name and a database name. */
export const MAX_SERVICE_NAME = 40;

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const JS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined'
  ).split(' '),
);

/** Names the workspace itself uses (folders, infrastructure containers). */
const WORKSPACE_RESERVED = new Set([
  'node_modules',
  'favicon.ico',
  'services',
  'shared',
  'packages',
  'postgres',
  'redis',
  'rabbitmq',
  'kafka',
  'otel-collector',
  'jaeger',
  'archkit',
  'arch',
  'test',
  'tests',
]);

export interface NameCases {
  kebab: string;
  pascal: string;
  camel: string;
  constant: string;
  snake: string;
}

/** Name variants of a validated kebab-case name (Nx `names()`). */
export function nameCases(kebab: string): NameCases {
  const words = kebab.split('-').filter(Boolean);
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const pascal = words.map(cap).join('');
  return {
    kebab,
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    constant: words.join('_').toUpperCase(),
    snake: words.join('_'),
  };
}

/** Best-effort kebab-case version of arbitrary text, offered in hints; never applied silently. */
export function suggestKebab(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_SERVICE_NAME)
    .replace(/-+$/, '');
}

/**
 * Validates a service name. Returns an error message, or undefined when valid.
 * Used as the commander argument parser and as the prompt's `validate`, so
 * flags and prompts accept exactly the same names.
 */
export function validateServiceName(input: string): string | undefined {
  const name = input;
  const quoted = JSON.stringify(name);
  if (name.trim() === '') return 'a service name is required';
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    return `service name ${quoted} must not contain path separators or ".."`;
  }
  if (name.length > MAX_SERVICE_NAME) {
    return `service name ${quoted} is ${name.length} characters long; the limit is ${MAX_SERVICE_NAME}`;
  }
  if (!KEBAB.test(name)) {
    const suggestion = suggestKebab(name);
    const hint = suggestion && suggestion !== name && KEBAB.test(suggestion) ? ` (did you mean "${suggestion}"?)` : '';
    return `service name ${quoted} must be kebab-case: lowercase letters, digits and single dashes, starting with a letter${hint}`;
  }
  if (name.endsWith('-db')) {
    return `service name ${quoted} must not end in "-db": that suffix names each service's database container`;
  }
  if (JS_RESERVED.has(nameCases(name).camel)) return `service name ${quoted} is a JavaScript reserved word`;
  if (WORKSPACE_RESERVED.has(name)) return `service name ${quoted} is reserved by the workspace`;
  if (builtinModules.includes(name)) return `service name ${quoted} is a Node.js built-in module name`;
  return undefined;
}

/** Validates a workspace directory name given to `arch init` (npm package name rules, no traversal). */
export function validateWorkspaceName(input: string): string | undefined {
  const quoted = JSON.stringify(input);
  if (input.trim() === '') return 'a workspace name is required';
  if (input.includes('..')) return `workspace name ${quoted} must not contain ".."`;
  if (input.length > 214) return `workspace name ${quoted} is longer than npm allows (214)`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(input)) {
    return `workspace name ${quoted} must be a valid npm package name: lowercase letters, digits, ".", "_" and "-"`;
  }
  if (builtinModules.includes(input) || input === 'node_modules') return `workspace name ${quoted} is reserved`;
  return undefined;
}
