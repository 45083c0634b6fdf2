/**
 * Configuration read through struct tags, as Go services do with cleanenv, caarlos0/env, envconfig and viper:
 *
 *   type Config struct {
 *     ProductClient `yaml:"product_client"`
 *   }
 *   type ProductClient struct {
 *     URL string `yaml:"url" env:"PRODUCT_CLIENT_URL" env-default:"localhost:5001"`
 *   }
 *
 * gives the Settings `PRODUCT_CLIENT_URL` = `localhost:5001` (the variable with its default; '' when it has none, so
 * the join takes the deployment's value), and the field paths code reads it through, as placeholders:
 * `ProductClient.URL` = `${PRODUCT_CLIENT_URL:localhost:5001}` (from Config, whose embedded struct promotes it, also
 * `URL`) — an outbound call to `cfg.ProductClient.URL` carries the configKey `ProductClient.URL`.
 */
import type { Setting } from '../../facts.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { lineOf } from '../tree-sitter.js';
import { isEnvName } from '../shared/address.js';
import { stringLiteral } from './syntax.js';

/** `key:"value" other:"v"` → Map; stops at the first malformed pair (as reflect.StructTag.Get does). */
export function parseStructTag(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < tag.length) {
    while (tag[i] === ' ') i += 1;
    const colon = tag.indexOf(':', i);
    if (colon <= i || tag[colon + 1] !== '"') break;
    const key = tag.slice(i, colon);
    if (key.includes(' ') || key.includes('"')) break;
    let j = colon + 2;
    let value = '';
    while (j < tag.length && tag[j] !== '"') {
      if (tag[j] === '\\' && j + 1 < tag.length) j += 1;
      value += tag[j];
      j += 1;
    }
    if (j >= tag.length) break;
    out.set(key, value);
    i = j + 1;
  }
  return out;
}

/** The environment variable a field's tag names, and its default. */
export function envOfTag(tag: Map<string, string>): { name: string; fallback: string | null } | null {
  const raw = tag.get('env') ?? tag.get('envconfig') ?? upperOnly(tag.get('mapstructure'));
  if (raw === undefined) return null;
  const [first, ...options] = raw.split(',');
  const name = first!.trim();
  if (!name || name === '-') return null;
  let fallback = tag.get('env-default') ?? tag.get('envDefault') ?? tag.get('default') ?? null;
  for (const option of options) {
    const trimmed = option.trim();
    if (trimmed.startsWith('default=')) fallback = trimmed.slice('default='.length);
  }
  return { name, fallback };
}

/** viper's `mapstructure:"DB_SOURCE"` names an environment variable (AutomaticEnv) only when it is written as one. */
const upperOnly = (value: string | undefined): string | undefined => (value !== undefined && isEnvName(value) ? value : undefined);

interface Field {
  /** Field name; for an embedded field, the type's name. */
  name: string;
  embedded: boolean;
  /** The same-file struct type it holds (by name), if any. */
  type: string | null;
  env: { name: string; fallback: string | null } | null;
  line: number;
}

/** Struct types of a file (top-level `type X struct`, also inside `type ( … )` groups). */
function structsOf(root: SyntaxNode): Map<string, Field[]> {
  const structs = new Map<string, Field[]>();
  for (const declaration of root.namedChildren) {
    if (declaration?.type !== 'type_declaration') continue;
    for (const spec of declaration.namedChildren) {
      if (spec?.type !== 'type_spec') continue;
      const name = spec.childForFieldName('name')?.text;
      const type = spec.childForFieldName('type');
      if (!name || type?.type !== 'struct_type') continue;
      structs.set(name, fieldsOf(type));
    }
  }
  return structs;
}

function fieldsOf(struct: SyntaxNode): Field[] {
  const fields: Field[] = [];
  const list = struct.namedChildren.find((n) => n?.type === 'field_declaration_list');
  for (const declaration of list?.namedChildren ?? []) {
    if (declaration?.type !== 'field_declaration') continue;
    const tagText = stringLiteral(declaration.childForFieldName('tag'));
    const env = tagText === null ? null : envOfTag(parseStructTag(tagText));
    let type = declaration.childForFieldName('type');
    if (type?.type === 'pointer_type') type = type.namedChildren[0] ?? null;
    const typeName = type?.type === 'type_identifier' ? type.text : null;
    const names = declaration.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null);
    const line = lineOf(declaration);
    if (names.length === 0) {
      const embedded = type?.type === 'qualified_type' ? type.childForFieldName('name')?.text : typeName;
      if (embedded) fields.push({ name: embedded, embedded: true, type: typeName, env, line });
    } else for (const n of names) fields.push({ name: n.text, embedded: false, type: typeName, env, line });
  }
  return fields;
}

/** Settings the struct tags of a file declare (see the module comment). */
export function structTagSettings(root: SyntaxNode, file: string): Setting[] {
  const structs = structsOf(root);
  if (structs.size === 0) return [];
  const settings: Setting[] = [];
  const seen = new Set<string>();
  const add = (key: string, value: string, line: number): void => {
    const id = `${key}\0${value}`;
    if (seen.has(id)) return;
    seen.add(id);
    settings.push({ key, value, profile: null, location: { file, line } });
  };
  const nested = new Set<string>();
  for (const fields of structs.values()) for (const field of fields) if (field.type && structs.has(field.type)) nested.add(field.type);

  /** Every env-tagged field reachable from `type` through `prefixes`: by its full path, and promoted through embedded structs. */
  const visit = (type: string, prefixes: string[][], depth: number, emit: (paths: string[][], field: Field) => void): void => {
    if (depth > 4) return;
    for (const field of structs.get(type) ?? []) {
      const paths = prefixes.map((prefix) => [...prefix, field.name]);
      if (field.env) emit(paths, field);
      if (field.type && structs.has(field.type)) visit(field.type, (field.embedded ? [...paths, ...prefixes] : paths).slice(0, 8), depth + 1, emit);
    }
  };

  for (const [type, fields] of structs) {
    for (const field of fields) {
      if (!field.env) continue;
      add(field.env.name, field.env.fallback ?? '', field.line);
      add(`${type}.${field.name}`, placeholder(field.env), field.line);
    }
    if (nested.has(type)) continue;
    visit(type, [[]], 0, (paths, field) => {
      for (const path of paths) add(path.join('.'), placeholder(field.env!), field.line);
    });
  }
  return settings;
}

const placeholder = (env: { name: string; fallback: string | null }): string => (env.fallback === null ? `\${${env.name}}` : `\${${env.name}:${env.fallback}}`);
