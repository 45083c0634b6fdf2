/**
 * Verdicts that two rules share (an item and its inverse anti-pattern), so
 * that both read the same evidence the same way.
 */
import type { Assessment } from '../../define-rule.js';
import type { RepoModel, Service } from '../../../model/types.js';
import { breakersOf, callGuarded, callsBetweenServices, codeKnown } from './evidence.js';
import { plural } from './locations.js';

/** Services that call other services: their own calls, or a first-party gateway's routes. */
export function callers(model: RepoModel): Service[] {
  const routing = new Set(model.gateways.filter((g) => g.service !== null && g.routes.some((r) => r.target !== null && r.target !== g.service)).map((g) => g.service!));
  return model.services.filter((s) => routing.has(s.name) || callsBetweenServices(s, model).length > 0);
}

/**
 * Circuit breakers: pass when breakers protect outbound call paths (at least one service that calls others applies
 * them, or breakers are in use where calls could not be resolved); fail when none does and calls exist, or when no
 * breaker exists anywhere and every service's code was read; unknown otherwise ("no call found" never passes).
 */
export function breakerVerdict(model: RepoModel): Assessment {
  if (model.services.length < 2) return { status: 'pass', evidence: 'a single service calls no other service' };
  const calling = callers(model);
  const protectedCallers = calling.filter((s) => breakersOf(s, model).length > 0);
  const users = model.services.filter((s) => breakersOf(s, model).length > 0);
  if (protectedCallers.length > 0) {
    const open = calling.filter((s) => !protectedCallers.includes(s)).map((s) => s.name);
    // Call sites of protected callers that go around their breakers: the anti-pattern's findings, named here too.
    const bypassing = protectedCallers.flatMap((s) => callsBetweenServices(s, model).filter((c) => !callGuarded(c, s)).map((c) => `${s.name} → ${c.target}`));
    return {
      status: 'pass',
      evidence:
        `breakers protect the calls of ${protectedCallers.map((s) => s.name).join(', ')} (${breakersOf(protectedCallers[0]!, model)[0]})` +
        (open.length ? `; unprotected: ${open.join(', ')}` : '') +
        (bypassing.length ? `; ${plural(bypassing.length, 'call')} ${bypassing.length === 1 ? 'bypasses' : 'bypass'} them (${[...new Set(bypassing)].join(', ')})` : ''),
    };
  }
  if (users.length > 0) return { status: 'pass', evidence: `breakers in use in ${users.map((s) => s.name).join(', ')} (${breakersOf(users[0]!, model)[0]})` };
  if (calling.length > 0) return { status: 'fail', evidence: `${plural(calling.length, 'service')} (${calling.map((s) => s.name).join(', ')}) ${calling.length === 1 ? 'calls others and applies' : 'call others and apply'} no circuit breaker` };
  const unread = model.services.filter((s) => !codeKnown(s));
  if (unread.length === 0) return { status: 'fail', evidence: 'no circuit breaker anywhere (no synchronous call between services found either)' };
  return { status: 'unknown', evidence: `no call between services found and no breaker; the code of ${unread.map((s) => s.name).join(', ')} could not be read` };
}

/** Databases: shared when two services use one identity (engine + host + database or schema). */
export function sharedDatabaseVerdict(model: RepoModel): Assessment {
  // Caches and queues (Redis) shared by services are not a shared database.
  const shared = model.databases.filter((d) => d.users.length > 1 && d.engine !== 'redis');
  if (shared.length > 0) return { status: 'fail', evidence: shared.map((d) => `${d.id} is used by ${d.users.join(', ')}`).join('; ') };
  const keeping = model.services.filter((s) => s.databases.length > 0 || s.facts.capabilities.some((h) => h.capability.kind === 'database' && h.capability.engine !== 'redis'));
  const known = keeping.filter((s) => s.databases.length > 0);
  if (known.length === 0) return { status: 'unknown', evidence: keeping.length ? `no connection settings found for ${keeping.map((s) => s.name).join(', ')}` : 'no service keeps data that archkit can see' };
  if (known.length * 2 < keeping.length) {
    return { status: 'unknown', evidence: `database identities found for ${known.map((s) => s.name).join(', ')} only; unknown for ${keeping.filter((s) => !known.includes(s)).map((s) => s.name).join(', ')}` };
  }
  return { status: 'pass', evidence: `${plural(known.length, 'service')} each use a database of their own (${model.databases.filter((d) => d.users.length > 0).map((d) => d.id).join(', ')})` };
}
