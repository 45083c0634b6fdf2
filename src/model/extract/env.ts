/** .env reading and Compose-style `${VAR}` interpolation. STUB: to be replaced (issue #3). */

/** Reads a dotenv file (relative path) into a map; empty when missing. */
export function readEnvFile(_root: string, _file: string): Record<string, string> {
  return {};
}

/** Resolves `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `$$` the way Compose does. */
export function interpolate(value: string, _env: Readonly<Record<string, string>>): string {
  return value;
}
