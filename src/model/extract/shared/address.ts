/**
 * An address as source code builds it (any language): literal text, an environment variable, a configuration key,
 * or text joined from them with `${…}` placeholders kept, so that the join can resolve what one file cannot.
 */
export interface Address {
  /** With placeholders: `http://${ORDERS_HOST}:8080/x`, `${Orders.URL}`. */
  text: string;
  /** The whole address is this environment variable. */
  wholeEnv: boolean;
  envVar: string | null;
  configKey: string | null;
}

export const literal = (text: string): Address => ({ text, wholeEnv: false, envVar: null, configKey: null });
export const env = (name: string): Address => ({ text: `\${${name}}`, wholeEnv: true, envVar: name, configKey: null });
export const key = (name: string): Address => ({ text: `\${${name}}`, wholeEnv: false, envVar: null, configKey: name });

/** A placeholder for an expression nothing is known of, so that the rest of the text is kept: `${host}`. */
export const opaque = (source: string): Address => literal(`\${${source.length <= 40 ? source : '…'}}`);

/** The URL an OutboundCall records: `env:NAME` when the whole address is one variable, else the text. */
export const urlOf = (address: Address): string => (address.wholeEnv && address.envVar ? `env:${address.envVar}` : address.text);

/**
 * A channel name (topic, queue, exchange): a literal, `env:NAME`, or a single configuration key as its `${key}`
 * placeholder (which `endpoint` in shared/messaging.ts turns into the endpoint's configKey); null when it depends on
 * anything else.
 */
export function channelOf(address: Address | null): string | null {
  if (!address) return null;
  if (address.wholeEnv && address.envVar) return `env:${address.envVar}`;
  if (address.configKey !== null && address.text === `\${${address.configKey}}`) return address.text;
  return address.envVar === null && address.configKey === null && !address.text.includes('${') ? address.text : null;
}

export function concat(parts: ReadonlyArray<Address>): Address {
  if (parts.length === 1) return parts[0]!;
  return {
    text: parts.map((p) => p.text).join(''),
    wholeEnv: false,
    envVar: parts.find((p) => p.envVar)?.envVar ?? null,
    configKey: parts.find((p) => p.configKey)?.configKey ?? null,
  };
}

/** `ORDERS_URL`: how environment variables are written. */
export function isEnvName(s: string): boolean {
  if (s.length === 0 || !(s[0]! >= 'A' && s[0]! <= 'Z')) return false;
  for (const c of s) if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_')) return false;
  return true;
}

/** Substitutes printf verbs (`%s`, `%d`, `%v`, `%05.2f`; `%%` is a percent sign) of a format with the arguments. */
export function format(template: string, args: ReadonlyArray<Address>): Address {
  const parts: Address[] = [];
  let start = 0;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '%') continue;
    if (template[i + 1] === '%') {
      parts.push(literal(template.slice(start, i + 1)));
      i += 1;
      start = i + 1;
      continue;
    }
    let j = i + 1;
    while (j < template.length && '+-# 0123456789.'.includes(template[j]!)) j += 1;
    if (j >= template.length) break;
    parts.push(literal(template.slice(start, i)));
    parts.push(args[next] ?? literal(''));
    next += 1;
    start = j + 1;
    i = j;
  }
  parts.push(literal(template.slice(start)));
  return concat(parts);
}
