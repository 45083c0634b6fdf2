/** `arch add-saga <name>`: a saga across services, orchestrated or choreographed, with compensations. */
import { defineGenerator, type GeneratorContext } from '../../generate/define-generator.js';
import { messagingOptions, messagingServices } from '../../generate/messaging/options.js';
import { messagingRequires } from '../../generate/messaging/plan.js';
import { nameCases, validateSagaName } from '../../generate/names.js';
import { option } from '../../generate/options.js';
import { runChoreography } from './steps/choreography.js';
import { runOrchestration } from './steps/orchestration.js';
import { createMissing, ensureSameSaga, normalizeSaga, parseSteps, validateHost, validateSteps, type SagaOptions } from './steps/plan.js';

export default defineGenerator({
  id: 'saga',
  description: 'Add a saga across services: ordered steps with compensations, orchestrated or choreographed, surviving crashes',
  command: {
    name: 'add-saga',
    args: [{ name: 'name', option: 'name' }],
    examples: [
      'add-saga place-order --steps orders,payments,inventory,shipping',
      'add-saga ship-order --style choreography --steps orders,inventory,shipping',
      'add-saga refund --steps payments,orders --host orders --broker kafka',
    ],
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
      choices: [
        { value: 'orchestration', label: 'Orchestration', hint: 'one service runs the steps and their compensations' },
        { value: 'choreography', label: 'Choreography', hint: 'each service reacts to the events of the one before and after it' },
      ],
      default: 'orchestration',
      alwaysAsk: true,
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
      validate: (raw, { model, values }) => validateSteps(raw, model, values),
    }),
    host: option.string({
      description: 'Service that runs the orchestrator (default: the first step; a choreography starts in its first step)',
      valueName: '<service>',
      choices: ({ model }) => messagingServices(model).map((s) => ({ value: s.name, hint: s.dir ?? undefined })),
      default: ({ values }) => (typeof values.steps === 'string' ? parseSteps(values.steps)[0] : undefined),
      validate: (name, { model, values }) => validateHost(name, model, values),
    }),
    broker: messagingOptions('producer').broker,
  },
  requires: (model) => messagingRequires(model, 'add-saga'),
  async run(ctx) {
    const plan = normalizeSaga(ctx as GeneratorContext<SagaOptions>);
    await ensureSameSaga(ctx, plan);
    await createMissing(ctx, plan);
    if (plan.style === 'choreography') await runChoreography(ctx, plan);
    else await runOrchestration(ctx, plan);
  },
  nextSteps(ctx) {
    const saga = ctx.options.name;
    const steps = parseSteps(ctx.options.steps);
    const host = ctx.options.host ?? steps[0]!;
    const pascal = nameCases(saga).pascal;
    const fill = `Fill in each step: services/<service>/src/sagas/${saga}/<service>.step.ts (execute, and compensate that undoes it)`;
    if (ctx.options.style === 'choreography') {
      return [
        fill,
        `Start a saga from ${host}: start${pascal}(client, data) in the transaction that needs it (src/sagas/${saga}/${saga}.choreography.ts)`,
        `Tune the saga's deadline: services/${host}/src/sagas/${saga}/definition.ts`,
      ];
    }
    return [
      fill,
      `Start a saga from ${host}: start${pascal}(client, data) in the transaction that needs it (src/sagas/${saga}/${saga}.saga.ts)`,
      `Tune timeouts and retries: services/${host}/src/sagas/${saga}/definition.ts`,
    ];
  },
});
