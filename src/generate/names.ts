import { builtinModules } from 'node:module';
import { TS_GLOBAL_NAMES } from './ts-globals.js';

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

/**
 * Keys every plain object already has (`constructor`, `toString`, `__proto__`…) and `prototype`: a service name
 * becomes an object key (the gateway's and each service's `services` map, route tables), in kebab and camel case,
 * where such a name would find what the object inherits instead of the service.
 */
const OBJECT_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The default name of the workspace's API gateway (`arch add-gateway`); no other service may take it. */
export const GATEWAY_NAME = 'gateway';

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
  const key = [name, nameCases(name).camel].find((variant) => OBJECT_KEYS.has(variant));
  if (key !== undefined) return `service name ${quoted} becomes the object key "${key}", which every JavaScript object already has; choose another name`;
  if (WORKSPACE_RESERVED.has(name)) return `service name ${quoted} is reserved by the workspace`;
  if (builtinModules.includes(name)) return `service name ${quoted} is a Node.js built-in module name`;
  return undefined;
}

/**
 * Validates the name of a new service that is not the gateway (`create-service`, `add-saga --create`): a service
 * name, and not the gateway's name, which `arch add-gateway` takes by default.
 */
export function validateNewServiceName(input: string): string | undefined {
  const error = validateServiceName(input);
  if (error) return error;
  if (input === GATEWAY_NAME) return `service name "${GATEWAY_NAME}" is reserved for the workspace's API gateway (npx arch add-gateway); choose another name`;
  return undefined;
}

/** Validates a saga name (`place-order`): the rules of service names, which it lives among (topics, files). */
export function validateSagaName(input: string): string | undefined {
  return validateServiceName(input)?.replace(/^service name/, 'saga name').replace(/^a service name/, 'a saga name');
}

/** Ports below this one need root, and generated containers run as a non-root user. */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * Validates the port a service (or the gateway) `name` listens on, against the
 * ports the other services of the workspace use: they share one host when run
 * locally, and a privileged port cannot be bound by the non-root user of the
 * generated Dockerfile.
 */
export function validateServicePort(port: number, name: string, services: readonly { name: string; port: number | null }[]): string | undefined {
  if (port < FIRST_UNPRIVILEGED_PORT) {
    return `--port ${port} is a privileged port (below ${FIRST_UNPRIVILEGED_PORT}): the service runs as a non-root user, which cannot listen on it; choose ${FIRST_UNPRIVILEGED_PORT} or above (the gateway publishes the service to clients)`;
  }
  const taken = services.find((s) => s.name !== name && s.port === port);
  return taken ? `--port ${port} is taken by service "${taken.name}"; choose another port` : undefined;
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

/**
 * Kafka topic / RabbitMQ exchange names: letters, digits, ".", "_" and "-",
 * starting with a letter (Kafka's own alphabet; the letter because the name
 * also becomes identifiers such as `ORDER_CREATED_TOPIC`). The length leaves
 * room for our retry and dead-letter suffixes. No "..", no path separators.
 */
const TOPIC = /^[A-Za-z][A-Za-z0-9._-]*$/;
export const MAX_TOPIC_NAME = 120;

export function validateTopicName(input: string): string | undefined {
  const quoted = JSON.stringify(input);
  if (input.trim() === '') return 'a topic name is required';
  if (input.length > MAX_TOPIC_NAME) return `topic name ${quoted} is ${input.length} characters long; the limit is ${MAX_TOPIC_NAME}`;
  if (input.includes('..') || !TOPIC.test(input)) {
    return `topic name ${quoted} may hold only letters, digits, ".", "_" and "-", start with a letter, and not contain ".."`;
  }
  return undefined;
}

const EVENT = /^[A-Z][A-Za-z0-9]*$/;

/** Event type names: PascalCase TypeScript identifiers (`OrderCreated`). */
export function validateEventName(input: string): string | undefined {
  const quoted = JSON.stringify(input);
  if (input.trim() === '') return 'an event name is required';
  if (input.length > 100) return `event name ${quoted} is longer than 100 characters`;
  if (!EVENT.test(input)) {
    const suggestion = pascalFromWords(input);
    const hint = suggestion && suggestion !== input && EVENT.test(suggestion) ? ` (did you mean "${suggestion}"?)` : '';
    return `event name ${quoted} must be PascalCase: a capital letter, then letters and digits${hint}`;
  }
  if (TS_GLOBAL_NAMES.has(input)) {
    return `event name ${quoted} is a global TypeScript type or value; its contract would shadow it in the generated code (e.g. "${input}Event")`;
  }
  return undefined;
}

function pascalFromWords(input: string): string {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('')
    .replace(/^[0-9]+/, '');
}

/** Name variants of a validated topic (`orders.v1-created` → kebab `orders-v1-created`, pascal `OrdersV1Created`). */
export function topicCases(topic: string): NameCases {
  return nameCases(suggestKebabLoose(topic));
}

/** Name variants of a validated PascalCase event name (`OrderCreated` → kebab `order-created`). */
export function eventCases(event: string): NameCases {
  return nameCases(suggestKebabLoose(event));
}

function suggestKebabLoose(input: string): string {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join('-');
}

/** A topic's default event name (`order-created` → `OrderCreated`). */
export function eventFromTopic(topic: string): string {
  return topicCases(topic).pascal;
}
