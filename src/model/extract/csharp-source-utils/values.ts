/**
 * What a C# expression says about an address, read within one file: literals, interpolations and `+`
 * concatenations, variables and fields followed to what was assigned to them, configuration reads
 * (`Configuration["urls:basket"]`, `GetSection("A").GetValue<string>("B")`, `GetConnectionString("Db")`),
 * options properties (`_settings.Value.PurchaseUrl`, with the section the options type is bound to in the same
 * file) and environment variables. Configuration keys come out dotted (`urls.basket`), as appsettings keys do;
 * an unresolved part is kept as `{expression}` (C#'s own interpolation syntax, never a `${…}` placeholder).
 */
import type { SyntaxNode } from '../tree-sitter.js';
import { arg, args, callee, lastName, named, stringValue, typeArgsOf } from './syntax.js';

export interface Address {
  url: string | null;
  configKey: string | null;
  envVar: string | null;
}

/** Names → what the file assigns to them and the types it declares them with; methods by name. */
export class FileScope {
  readonly assigned = new Map<string, SyntaxNode[]>();
  readonly types = new Map<string, SyntaxNode>();
  readonly methods = new Map<string, SyntaxNode>();
  /** Options type → configuration section it is bound to (`Configure<UrlsConfig>(Configuration.GetSection("urls"))`). */
  readonly optionSections = new Map<string, string>();

  assign(name: string | null, value: SyntaxNode | null): void {
    if (!name || !value) return;
    const list = this.assigned.get(name);
    if (list) list.push(value);
    else this.assigned.set(name, [value]);
  }

  declare(name: string | null, type: SyntaxNode | null): void {
    if (name && type && type.type !== 'implicit_type') this.types.set(name, type);
  }

  /** What a name was last given (other than `null`/`default`), following name-to-name copies a few steps. */
  resolve(node: SyntaxNode, depth = 0): SyntaxNode | null {
    if (depth > 4 || !(node.type === 'identifier' || isThis(node))) return null;
    const values = this.assigned.get(lastName(node) ?? '')?.filter((v) => v.type !== 'null_literal' && v.text !== 'default') ?? [];
    // The nearest assignment before the use (names repeat across methods), else the last one (a field set later).
    const value = values.filter((v) => v.startIndex < node.startIndex).at(-1) ?? values.at(-1);
    if (!value) return null;
    return this.resolve(value, depth + 1) ?? value;
  }

  /** The declared type of a name (through copies: `_http = http` gives `_http` the parameter's type). */
  typeOf(node: SyntaxNode, depth = 0): SyntaxNode | null {
    const name = lastName(node);
    if (!name || depth > 4) return null;
    const declared = this.types.get(name);
    if (declared) return declared;
    const value = this.assigned.get(name)?.at(-1);
    return value && (value.type === 'identifier' || value.type === 'member_access_expression') ? this.typeOf(value, depth + 1) : null;
  }

  /** The configuration path an expression reads (`["urls","basket"]`), [] for the configuration root, null otherwise. */
  configPath(node: SyntaxNode, depth = 0): string[] | null {
    if (depth > 8) return null;
    switch (node.type) {
      case 'identifier':
      case 'member_access_expression': {
        const name = lastName(node) ?? '';
        if (/^_?(config|configuration|cfg)$/i.test(name)) return [];
        if (node.type === 'member_access_expression' && (name === 'Value' || name === 'CurrentValue')) {
          const inner = node.childForFieldName('expression');
          if (inner?.type === 'invocation_expression' && /Section$/.test(callee(inner)?.name ?? '')) return this.configPath(inner, depth + 1);
        }
        const value = this.resolve(node);
        return value ? this.configPath(value, depth + 1) : null;
      }
      case 'element_access_expression': {
        const base = this.configPath(node.childForFieldName('expression')!, depth + 1);
        const key = named(node.childForFieldName('subscript')).map((a) => stringValue(named(a).at(-1)!)).at(0);
        return base && key ? [...base, ...key.split(':')] : null;
      }
      case 'invocation_expression': {
        const call = callee(node);
        if (!call?.receiver) return null;
        const key = arg(node, 0);
        const text = key ? stringValue(key) : null;
        if (text === null) return null;
        const base = this.configPath(call.receiver, depth + 1);
        if (!base) return null;
        if (call.name === 'GetConnectionString') return [...base, 'ConnectionStrings', text];
        if (['GetSection', 'GetRequiredSection', 'GetValue'].includes(call.name)) return [...base, ...text.split(':')];
        return null;
      }
      default:
        return null;
    }
  }

  /** `_settings.Value.PurchaseUrl`, `options.CurrentValue.X`, `settings.X` for a bound options type → its key. */
  optionKey(node: SyntaxNode): string | null {
    if (node.type !== 'member_access_expression') return null;
    const property = lastName(node);
    let holder = node.childForFieldName('expression');
    if (!property || !holder) return null;
    let type: SyntaxNode | null = null;
    const holderName = lastName(holder);
    if (holder.type === 'member_access_expression' && (holderName === 'Value' || holderName === 'CurrentValue')) {
      holder = holder.childForFieldName('expression')!;
      const wrapper = holder.type === 'invocation_expression' ? (callee(holder)?.typeArgs[0] ?? null) : this.typeOf(holder);
      type = typeArgsOf(wrapper)[0] ?? null;
      const section = this.optionSections.get(lastName(type) ?? '');
      return section ? `${section}.${property}` : property;
    }
    // `_settings = options.Value` in a constructor, then `_settings.Url`.
    const value = this.resolve(holder);
    if (value?.type === 'member_access_expression' && ['Value', 'CurrentValue'].includes(lastName(value) ?? '')) {
      const wrapper = this.typeOf(value.childForFieldName('expression')!);
      const section = this.optionSections.get(lastName(typeArgsOf(wrapper)[0] ?? null) ?? '');
      return section ? `${section}.${property}` : property;
    }
    type = this.typeOf(holder);
    const section = this.optionSections.get(lastName(type) ?? '');
    return section ? `${section}.${property}` : null;
  }

  /** The address an expression builds, as far as this file shows it. */
  address(node: SyntaxNode): Address {
    const out: Address = { url: null, configKey: null, envVar: null };
    let known = false;
    const render = (n: SyntaxNode, depth: number): string => {
      if (depth > 6) return `{${n.text}}`;
      const literal = stringValue(n);
      if (literal !== null) {
        known = true;
        return literal;
      }
      switch (n.type) {
        case 'interpolated_string_expression':
          return named(n).map((part) => {
            if (part.type === 'interpolation') {
              const inner = named(part).find((c) => c.type !== 'interpolation_brace' && c.type !== 'interpolation_format_clause' && c.type !== 'interpolation_alignment_clause');
              return inner ? render(inner, depth + 1) : '';
            }
            if (part.type === 'string_content' || part.type === 'escape_sequence') {
              known = true;
              return part.text;
            }
            return '';
          }).join('');
        case 'binary_expression':
          if (n.childForFieldName('operator')?.text === '+') return render(n.childForFieldName('left')!, depth + 1) + render(n.childForFieldName('right')!, depth + 1);
          if (n.childForFieldName('operator')?.text === '??') return render(n.childForFieldName('left')!, depth + 1);
          break;
        case 'parenthesized_expression':
          return named(n)[0] ? render(named(n)[0]!, depth + 1) : '';
        case 'object_creation_expression':
          if (lastName(n.childForFieldName('type')) === 'Uri') {
            return args(n).filter((a) => !a.value.text.startsWith('UriKind.')).map((a) => render(a.value, depth + 1)).join('');
          }
          break;
        case 'implicit_object_creation_expression':
          // `o.BaseAddress = new("http://catalog-api")`: target-typed, so a Uri where an address is asked for.
          return args(n).filter((a) => !a.value.text.startsWith('UriKind.')).map((a) => render(a.value, depth + 1)).join('');
        case 'invocation_expression': {
          const call = callee(n);
          if (call?.name === 'GetEnvironmentVariable' && lastName(call.receiver) === 'Environment') {
            const name = arg(n, 0);
            const env = name ? stringValue(name) : null;
            if (env) {
              known = true;
              out.envVar ??= env;
              return `env:${env}`;
            }
          }
          if (call && ['ToString', 'TrimEnd', 'TrimStart', 'Trim'].includes(call.name) && call.receiver) return render(call.receiver, depth + 1);
          break;
        }
      }
      const path = this.configPath(n);
      const key = path && path.length > 0 ? path.join('.') : this.optionKey(n);
      if (key) {
        known = true;
        out.configKey ??= key;
        return `\${${key}}`;
      }
      const value = this.resolve(n);
      if (value) return render(value, depth + 1);
      return `{${n.text}}`;
    };
    const text = render(node, 0);
    out.url = known ? text : null;
    return out;
  }
}

function isThis(node: SyntaxNode): boolean {
  return node.type === 'member_access_expression' && node.text.startsWith('this.');
}
