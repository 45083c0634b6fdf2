/** What both saga styles share: the step list, its validation, the services it needs, and the messaging under it. */
import { UsageError } from '../../../errors.js';
import type { GeneratorContext } from '../../../generate/define-generator.js';
import { messagingServices, type MessagingBroker } from '../../../generate/messaging/options.js';
import { applyMessaging, normalizeMessaging, type MessagingValues, type Role } from '../../../generate/messaging/plan.js';
import { mainEdit, mergeWiring, outboxRoutesEdit, type MainWiring } from '../../../generate/messaging/wiring.js';
import { eventCases, nameCases, validateNewServiceName, type NameCases } from '../../../generate/names.js';
import type { RepoModel } from '../../../model/types.js';

export type SagaStyle = 'orchestration' | 'choreography';

export interface SagaOptions {
  name: string;
  style: SagaStyle;
  create: boolean;
  steps: string;
  host?: string | undefined;
  broker?: string | undefined;
}

export interface StepInfo {
  name: string;
  names: NameCases;
  /** The service's folder, relative to the workspace root. */
  dir: string;
}

/** The normalized run: what both styles' steps read. */
export interface SagaPlan {
  saga: string;
  sagaNames: NameCases;
  style: SagaStyle;
  steps: StepInfo[];
  host: string;
  hostDir: string;
  broker: MessagingBroker;
}

/** A topic and the event type it carries, with their name cases. */
export interface Channel {
  topic: string;
  event: string;
  eventNames: NameCases;
}

export const channel = (topic: string, event: string): Channel => ({ topic, event, eventNames: eventCases(event) });

/** The step list: service names, comma-separated, at least one, no repeats. */
export function parseSteps(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function validateSteps(raw: string, model: RepoModel, values: { create?: unknown; style?: unknown }): string | undefined {
  const steps = parseSteps(raw);
  if (steps.length === 0) return 'list at least one step: the services taking part, in order (e.g. orders,payments,inventory)';
  for (const step of steps) {
    const error = validateNewServiceName(step);
    if (error) return `step ${error.replace(/^service name /, '')}`;
  }
  const repeated = steps.find((s, i) => steps.indexOf(s) !== i);
  if (repeated) return `step "${repeated}" is listed twice; each service takes part once`;
  if (values.style === 'choreography' && steps.length < 2) return 'a choreographed saga needs at least two services: one that starts it and one that reacts';
  // Orchestration: `<saga>.<step>` carries a step's commands and `<saga>.replies` the replies.
  if (values.style !== 'choreography' && steps.includes('replies')) return 'a step named "replies" would share its topic with the saga\'s replies (<saga>.replies); rename the service, or use --style choreography';
  const known = messagingServices(model).map((s) => s.name);
  const unknown = steps.filter((s) => !known.includes(s));
  const taken = unknown.find((s) => model.services.some((service) => service.name === s));
  if (taken) return `"${taken}" is a service archkit cannot wire (not a workspace service with a folder, or the gateway)`;
  if (unknown.length > 0 && values.create !== true) {
    return `no service ${unknown.map((s) => `"${s}"`).join(', ')} in this workspace${known.length > 0 ? ` (services: ${known.join(', ')})` : ''}; create it first with \`npx create-service <name>\`, or pass --create`;
  }
  return undefined;
}

export function validateHost(name: string, model: RepoModel, values: { steps?: unknown; style?: unknown }): string | undefined {
  const steps = typeof values.steps === 'string' ? parseSteps(values.steps) : [];
  if (values.style === 'choreography' && steps.length > 0 && name !== steps[0]) {
    return `a choreographed saga has no orchestrator: it starts in its first step's service ("${steps[0]}"); --host is for --style orchestration`;
  }
  return messagingServices(model).some((s) => s.name === name) || steps.includes(name) ? undefined : `no service "${name}" in this workspace`;
}

export function normalizeSaga(ctx: GeneratorContext<SagaOptions>): SagaPlan {
  const saga = ctx.options.name;
  const names = parseSteps(ctx.options.steps);
  const dirOf = (service: string) => messagingServices(ctx.model).find((s) => s.name === service)?.dir ?? `services/${service}`;
  const host = ctx.options.host ?? names[0]!;
  return {
    saga,
    sagaNames: nameCases(saga),
    style: ctx.options.style,
    steps: names.map((name) => ({ name, names: nameCases(name), dir: dirOf(name) })),
    host,
    hostDir: dirOf(host),
    broker: (ctx.options.broker ?? 'rabbitmq') as MessagingBroker,
  };
}

/**
 * A saga of this name generated before must be the same saga: same style,
 * same host, same steps in the same order. Anything else would leave the
 * earlier wiring (consumers, events, the user's definition) beside the new.
 */
export async function ensureSameSaga(ctx: GeneratorContext<unknown>, plan: SagaPlan): Promise<void> {
  const files: string[] = [];
  for (const service of messagingServices(ctx.model)) {
    if (!service.dir) continue;
    for (const file of ['definition.ts', `${plan.saga}.choreography.ts`]) {
      const path = `${service.dir}/src/sagas/${plan.saga}/${file}`;
      if (ctx.tree.exists(path)) files.push(path);
    }
  }
  if (files.length === 0) return;
  for (const [host, facts] of await ctx.scanFiles(files)) {
    for (const found of facts.sagas.filter((s) => s.name === plan.saga)) {
      const same = found.style === plan.style && host === plan.host && found.steps.join(',') === plan.steps.map((s) => s.name).join(',');
      if (!same) {
        throw new UsageError(
          `saga "${plan.saga}" already exists: ${found.style}, run by ${host}, steps ${found.steps.join(',')}`,
          'Re-run add-saga with the same options, or choose another saga name (a saga is changed by hand once generated).',
        );
      }
    }
  }
}

/** `--create`: the step services that do not exist yet, made by the service generator in this same run (all-or-nothing). */
export async function createMissing(ctx: GeneratorContext<unknown>, plan: SagaPlan): Promise<void> {
  const names = plan.steps.map((s) => s.name).filter((s) => !messagingServices(ctx.model).some((m) => m.name === s));
  if (names.length === 0) return;
  const { default: service, defaultPort } = await import('../../service/index.js');
  for (const [i, name] of names.entries()) {
    const options = { name, description: `The ${name} service`, db: 'postgres', port: defaultPort(ctx.model, name, i) };
    await service.run({ ...ctx, options } as unknown as Parameters<typeof service.run>[0]);
  }
}

/**
 * The messaging under a saga, one service's producer or consumer of one
 * channel at a time (through outbox and inbox); each service's bootstrap is
 * edited once, by `finish`, with the saga's own start-up added.
 */
export function messaging(ctx: GeneratorContext<unknown>, plan: SagaPlan) {
  const collected = new Map<string, { main: MainWiring[]; routes: Array<{ route: string; module: string }> }>();
  return {
    async wire(service: string, via: Channel, role: Role): Promise<void> {
      const sub = { ...ctx, options: { service, broker: plan.broker, topic: via.topic, event: via.event } } as unknown as GeneratorContext<MessagingValues>;
      const data = normalizeMessaging(sub, role);
      const mine = collected.get(data.dir) ?? { main: [], routes: [] };
      collected.set(data.dir, mine);
      await applyMessaging(sub, data, role, mine);
    },
    /** Edits each outbox route table and bootstrap: the messaging wired above, then `extra` (the saga's timer) where given. */
    async finish(extra: { dir: string; wiring: MainWiring }): Promise<void> {
      for (const [dir, { routes }] of collected) {
        if (routes.length > 0) await ctx.editTs(`${dir}/src/messaging/outbox-routes.ts`, outboxRoutesEdit(`${dir}/src/messaging/outbox-routes.ts`, routes));
      }
      const dirs = [...new Set([...collected.keys(), extra.dir])];
      for (const dir of dirs) {
        const list = [...(collected.get(dir)?.main ?? []), ...(dir === extra.dir ? [extra.wiring] : [])];
        await ctx.editTs(`${dir}/src/main.ts`, mainEdit(`${dir}/src/main.ts`, mergeWiring(list)));
      }
    },
  };
}
