/** `arch add-saga <name>`: an orchestrated saga over the workspace's broker, with compensations. */
import { defineGenerator, type GeneratorContext } from '../../generate/define-generator.js';
import { messagingOptions, messagingServices, type MessagingBroker } from '../../generate/messaging/options.js';
import { applyMessaging, messagingRequires, migrationName, normalizeMessaging, type MessagingValues, type Role } from '../../generate/messaging/plan.js';
import { mainEdit } from '../../generate/messaging/wiring.js';
import { eventCases, nameCases, topicCases, validateSagaName, validateServiceName, type NameCases } from '../../generate/names.js';
import { option } from '../../generate/options.js';
import { manualSteps } from '../../generate/service-wiring.js';
import type { RepoModel } from '../../model/types.js';

interface StepData {
  name: string;
  names: NameCases;
  commandTopic: string;
  commandEvent: string;
  commandEventNames: NameCases;
}

/** The step list: service names, comma-separated, at least one, no repeats. */
function parseSteps(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function validateSteps(raw: string, model: RepoModel, create: boolean): string | undefined {
  const steps = parseSteps(raw);
  if (steps.length === 0) return 'list at least one step: the services taking part, in order (e.g. orders,payments,inventory)';
  for (const step of steps) {
    const error = validateServiceName(step);
    if (error) return `step ${error.replace(/^service name /, '')}`;
  }
  const repeated = steps.find((s, i) => steps.indexOf(s) !== i);
  if (repeated) return `step "${repeated}" is listed twice; each service takes part once`;
  const known = messagingServices(model).map((s) => s.name);
  const unknown = steps.filter((s) => !known.includes(s));
  const taken = unknown.find((s) => model.services.some((service) => service.name === s));
  if (taken) return `"${taken}" is a service archkit cannot wire (not a workspace service with a folder, or the gateway)`;
  if (unknown.length > 0 && !create) {
    return `no service ${unknown.map((s) => `"${s}"`).join(', ')} in this workspace${known.length > 0 ? ` (services: ${known.join(', ')})` : ''}; create it first with \`npx create-service <name>\`, or pass --create`;
  }
  return undefined;
}

export default defineGenerator({
  id: 'saga',
  description: 'Add a saga across services: ordered steps with compensations, run by an orchestrator that survives crashes',
  command: {
    name: 'add-saga',
    args: [{ name: 'name', option: 'name' }],
    examples: ['add-saga place-order --steps orders,payments,inventory,shipping', 'add-saga refund --steps payments,orders --host orders --broker kafka'],
  },
  scope: 'workspace',
  options: {
    name: option.string({
      description: 'Saga name, kebab-case (e.g. place-order)',
      message: 'What is the saga called?',
      required: true,
      valueName: '<name>',
      validate: (name) => validateSagaName(name),
    }),
    style: option.select({
      description: 'How the saga is coordinated',
      message: 'Which style?',
      choices: [{ value: 'orchestration', label: 'Orchestration', hint: 'one service runs the steps and their compensations' }],
      default: 'orchestration',
    }),
    create: option.boolean({
      description: 'Create the step services that do not exist yet (as create-service would, with PostgreSQL)',
      default: false,
    }),
    steps: option.string({
      description: 'The services taking part, in order, comma-separated (e.g. orders,payments,inventory)',
      message: 'Which services take part, in order (comma-separated)?',
      required: true,
      valueName: '<services>',
      validate: (raw, { model, values }) => validateSteps(raw, model, values.create === true),
    }),
    host: option.string({
      description: 'Service that runs the orchestrator (default: the first step)',
      valueName: '<service>',
      choices: ({ model }) => messagingServices(model).map((s) => ({ value: s.name, hint: s.dir ?? undefined })),
      default: ({ values }) => (typeof values.steps === 'string' ? parseSteps(values.steps)[0] : undefined),
      validate: (name, { model, values }) =>
        messagingServices(model).some((s) => s.name === name) || (typeof values.steps === 'string' && parseSteps(values.steps).includes(name))
          ? undefined
          : `no service "${name}" in this workspace`,
    }),
    broker: messagingOptions('producer').broker,
  },
  requires: (model) => messagingRequires(model, 'add-saga'),
  async run(ctx) {
    const saga = ctx.options.name;
    const steps = parseSteps(ctx.options.steps);
    const host = ctx.options.host ?? steps[0]!;
    const broker = (ctx.options.broker ?? 'rabbitmq') as MessagingBroker;
    const dirOf = (service: string) => messagingServices(ctx.model).find((s) => s.name === service)?.dir ?? `services/${service}`;
    await createMissing(ctx, steps.filter((s) => !messagingServices(ctx.model).some((m) => m.name === s)));
    const sagaNames = nameCases(saga);
    const replyTopic = `${saga}.replies`;
    const replyEvent = `${sagaNames.pascal}Reply`;
    const stepData: StepData[] = steps.map((name) => {
      const commandEvent = `${sagaNames.pascal}${nameCases(name).pascal}Command`;
      return { name, names: nameCases(name), commandTopic: `${saga}.${name}`, commandEvent, commandEventNames: eventCases(commandEvent) };
    });
    const base = {
      saga,
      sagaNames,
      sagaKebab: sagaNames.kebab,
      host,
      steps: stepData,
      replyTopic,
      replyEvent,
      replyEventNames: eventCases(replyEvent),
      replyEventKebab: eventCases(replyEvent).kebab,
      replyTopicKebab: topicCases(replyTopic).kebab,
    };
    const hostDir = dirOf(host);

    // Saga files first: the contracts and handlers they stage are the ones the messaging sets then keep.
    ctx.render('saga', hostDir, { ...base, sagaMigration: migrationName(ctx, hostDir, 'create-saga-instances') }, {
      overlays: ['host'],
      once: [`src/sagas/${sagaNames.kebab}/definition.ts`, 'src/sagas/index.ts'],
    });
    for (const step of stepData) {
      ctx.tree.write(`${hostDir}/src/events/${step.commandEventNames.kebab}.ts`, ctx.renderFile('saga/contracts/command.ts.hbs', { ...base, ...step, step: step.name }));
    }
    for (const step of stepData) {
      const dir = dirOf(step.name);
      const data = { ...base, step: step.name, stepNames: step.names, stepKebab: step.names.kebab, stepTopicKebab: topicCases(step.commandTopic).kebab, ...step };
      ctx.render('saga', dir, data, { overlays: ['participant'], once: [`src/sagas/${sagaNames.kebab}/${step.names.kebab}.step.ts`] });
      if (dir !== hostDir) ctx.tree.write(`${dir}/src/events/${step.commandEventNames.kebab}.ts`, ctx.renderFile('saga/contracts/command.ts.hbs', { ...base, ...step, step: step.name }));
    }

    // The messaging underneath: commands host → step, replies step → host, each through outbox and inbox.
    const wire = async (service: string, topic: string, event: string, role: Role) => {
      const sub = { ...ctx, options: { service, broker, topic, event } } as unknown as GeneratorContext<MessagingValues>;
      await applyMessaging(sub, normalizeMessaging(sub, role), role);
    };
    for (const step of stepData) await wire(host, step.commandTopic, step.commandEvent, 'producer');
    await wire(host, replyTopic, replyEvent, 'consumer');
    for (const step of stepData) {
      await wire(step.name, step.commandTopic, step.commandEvent, 'consumer');
      await wire(step.name, replyTopic, replyEvent, 'producer');
    }

    // The orchestrator in the host: the saga in the registry, the timeout watcher started and stopped.
    const registry = `${hostDir}/src/sagas/index.ts`;
    const sagaVar = `${sagaNames.camel}Saga`;
    await ctx.editTs(registry, (file, h) => {
      if (!h.findArray(file, 'sagas')) return manualSteps(registry, '`export const sagas: SagaDefinition[] = [...]`', [`import { ${sagaVar} } from './${sagaNames.kebab}/${sagaNames.kebab}.saga.js';`, `${sagaVar},   // in sagas`]);
      h.ensureImport(file, `./${sagaNames.kebab}/${sagaNames.kebab}.saga.js`, sagaVar);
      h.ensureArrayElement(file, 'sagas', sagaVar);
    });
    await ctx.editTs(
      `${hostDir}/src/main.ts`,
      mainEdit(`${hostDir}/src/main.ts`, {
        broker,
        starts: [
          {
            statement: 'const sagaTimer = startSagaTimer({ pool, sagas, logger });',
            imports: [
              ['./sagas/index.js', 'sagas'],
              ['./sagas/saga.js', 'startSagaTimer'],
            ],
          },
        ],
        closers: [{ name: 'saga timer', close: 'sagaTimer.stop()', before: ['outbox relay', broker, 'postgres', 'tracing'] }],
      }),
    );
  },
  nextSteps(ctx) {
    const saga = ctx.options.name;
    const steps = parseSteps(ctx.options.steps);
    const host = ctx.options.host ?? steps[0]!;
    const pascal = nameCases(saga).pascal;
    return [
      `Fill in each step: services/<service>/src/sagas/${saga}/<service>.step.ts (execute, and compensate that undoes it)`,
      `Start a saga from ${host}: start${pascal}(client, data) in the transaction that needs it (src/sagas/${saga}/${saga}.saga.ts)`,
      `Tune timeouts and retries: services/${host}/src/sagas/${saga}/definition.ts`,
    ];
  },
});

/** `--create`: the step services that do not exist yet, made by the service generator in this same run (all-or-nothing). */
async function createMissing(ctx: GeneratorContext<unknown>, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const { default: service } = await import('../service/index.js');
  const taken = ctx.model.services.filter((s) => !s.isGateway).length;
  for (const [i, name] of names.entries()) {
    const options = { name, description: `The ${name} service`, db: 'postgres', port: 3000 + taken + i };
    await service.run({ ...ctx, options } as unknown as Parameters<typeof service.run>[0]);
  }
}
