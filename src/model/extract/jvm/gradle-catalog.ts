/** Gradle version catalogs (`gradle/libs.versions.toml`): library aliases → `group:artifact`, plugin aliases → plugin ids. */

export interface Catalog {
  /** Normalised alias (`spring.boot.starter.web`) → `group:artifact`. */
  libraries: Map<string, string>;
  /** Normalised alias → plugin id. */
  plugins: Map<string, string>;
}

/** `spring-boot_starter.web` and the accessor `spring.boot.starter.web` name the same alias. */
export const normalizeAlias = (alias: string): string => alias.replace(/[-_]/g, '.').toLowerCase();

/** Reads the `[libraries]` and `[plugins]` tables, one entry per line (TOML inline tables are one line). */
export function readCatalog(text: string | null): Catalog {
  const catalog: Catalog = { libraries: new Map(), plugins: new Map() };
  if (text === null) return catalog;
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      table = line.slice(1, line.indexOf(']')).trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || line.startsWith('#') || (table !== 'libraries' && table !== 'plugins')) continue;
    const alias = normalizeAlias(line.slice(0, eq).trim().replace(/^"|"$/g, ''));
    const value = line.slice(eq + 1).trim();
    const fields = inlineTable(value);
    if (table === 'libraries') {
      const coordinates = fields ? (fields.get('module') ?? (fields.has('group') && fields.has('name') ? `${fields.get('group')}:${fields.get('name')}` : null)) : unquote(value);
      const parts = coordinates?.split(':') ?? [];
      if (parts.length >= 2) catalog.libraries.set(alias, `${parts[0]}:${parts[1]}`);
    } else {
      const id = fields ? fields.get('id') : unquote(value)?.split(':')[0];
      if (id) catalog.plugins.set(alias, id);
    }
  }
  return catalog;
}

function unquote(value: string): string | null {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return null;
  const end = value.indexOf(quote, 1);
  return end === -1 ? null : value.slice(1, end);
}

/** `{ module = "g:a", version.ref = "x" }` → its string fields. */
function inlineTable(value: string): Map<string, string> | null {
  if (!value.startsWith('{')) return null;
  const fields = new Map<string, string>();
  for (const part of value.slice(1, value.lastIndexOf('}')).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const text = unquote(part.slice(eq + 1).trim());
    if (text !== null) fields.set(part.slice(0, eq).trim(), text);
  }
  return fields;
}
