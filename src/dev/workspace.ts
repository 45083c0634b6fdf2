/**
 * What `arch dev` and `arch token` need to know about a workspace: its root,
 * the services it runs (the gateway among them) and the environment each
 * reads from its own `.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseEnv } from '../model/extract/env.js';
import { findWorkspaceRoot, scan } from '../model/scan.js';

export interface DevService {
  name: string;
  /** Folder relative to the root, with forward slashes. */
  dir: string;
  /** Absolute folder. */
  abs: string;
  isGateway: boolean;
}

export interface DevWorkspace {
  root: string;
  services: DevService[];
  gateway: DevService | null;
}

/** The workspace around `cwd` and its services (folders of the workspace), or a UsageError outside one. */
export async function devWorkspace(cwd: string, command: string): Promise<DevWorkspace> {
  const root = findWorkspaceRoot(cwd);
  if (root === null) throw new UsageError(`${command} runs inside an archkit workspace, and ${cwd} is not in one`, 'Make one with `npx arch init <dir>`, or pass --cwd <workspace>.');
  const model = await scan(root, { deployment: false });
  const services = model.services
    .filter((s): s is typeof s & { dir: string } => s.dir !== null && s.dir !== '.' && s.origins.includes('workspace'))
    .map((s) => ({ name: s.name, dir: s.dir, abs: path.join(root, s.dir), isGateway: s.isGateway }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const gateway = services.find((s) => s.isGateway && s.name === model.gateway) ?? services.find((s) => s.isGateway) ?? null;
  return { root, services, gateway };
}

/** A service's environment file: `.env`, else (with `orExample`) `.env.example`; null when there is none. */
export function serviceEnvFile(service: DevService, orExample: boolean): string | null {
  for (const name of orExample ? ['.env', '.env.example'] : ['.env']) {
    const file = path.join(service.abs, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** The variables of a dotenv file ({} for null). */
export function readEnvFile(file: string | null): Record<string, string> {
  return file === null ? {} : parseEnv(readFileSync(file, 'utf8'));
}
