/** Where a service folder says which port it listens on, for generators that find a service they did not make. */
import { parseDockerfile } from '../model/extract/dockerfile.js';
import { parseEnv } from '../model/extract/env.js';

const asPort = (value: string | undefined): number | null => {
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
};

/** `PORT` in the service's .env.example, else the first port its Dockerfile EXPOSEs (`3000/tcp` counts), else null. */
export function servicePort(envExample: string | undefined, dockerfile: string | undefined): number | null {
  const fromEnv = asPort(parseEnv(envExample ?? '').PORT);
  if (fromEnv !== null) return fromEnv;
  const expose = parseDockerfile(dockerfile ?? '').find((i) => i.keyword === 'EXPOSE');
  return asPort(expose?.args.split(/\s+/)[0]?.split('/')[0]);
}
