/** `--style orchestration`: the host runs the steps with commands and replies, and compensates on a refusal or a timeout. */
import type { GeneratorContext } from '../../../generate/define-generator.js';
import { migrationName } from '../../../generate/messaging/plan.js';
import { topicCases } from '../../../generate/names.js';
import { manualSteps } from '../../../generate/service-wiring.js';
import { channel, messaging, type SagaPlan } from './plan.js';

export async function runOrchestration(ctx: GeneratorContext<unknown>, plan: SagaPlan): Promise<void> {
  const { saga, sagaNames, host, hostDir, broker } = plan;
  const replies = channel(`${saga}.replies`, `${sagaNames.pascal}Reply`);
  const commands = plan.steps.map((step) => ({ step, via: channel(`${saga}.${step.name}`, `${sagaNames.pascal}${step.names.pascal}Command`) }));
  const stepData = commands.map(({ step, via }) => ({ name: step.name, names: step.names, commandTopic: via.topic, commandEvent: via.event, commandEventNames: via.eventNames }));
  const base = {
    saga,
    sagaNames,
    sagaKebab: sagaNames.kebab,
    host,
    steps: stepData,
    replyTopic: replies.topic,
    replyEvent: replies.event,
    replyEventNames: replies.eventNames,
    replyEventKebab: replies.eventNames.kebab,
    replyTopicKebab: topicCases(replies.topic).kebab,
  };

  // Saga files first: the contracts and handlers they stage are the ones the messaging sets then keep.
  ctx.render('saga', hostDir, { ...base, sagaMigration: migrationName(ctx, hostDir, 'create-saga-instances') }, {
    overlays: ['replies', 'rounds', 'host'],
    once: [`src/sagas/${sagaNames.kebab}/definition.ts`, 'src/sagas/index.ts'],
  });
  const contract = (dir: string, step: (typeof stepData)[number]) =>
    ctx.tree.write(`${dir}/src/events/${step.commandEventNames.kebab}.ts`, ctx.renderFile('saga/contracts/command.ts.hbs', { ...base, ...step, step: step.name }));
  for (const step of stepData) contract(hostDir, step);
  for (const [i, step] of stepData.entries()) {
    const dir = plan.steps[i]!.dir;
    const data = { ...base, step: step.name, stepNames: step.names, stepKebab: step.names.kebab, stepTopicKebab: topicCases(step.commandTopic).kebab, ...step };
    ctx.render('saga', dir, data, { overlays: ['step', 'replies', 'participant'], once: [`src/sagas/${sagaNames.kebab}/${step.names.kebab}.step.ts`] });
    if (dir !== hostDir) contract(dir, step);
  }

  const bus = messaging(ctx, plan);
  // The messaging underneath: commands host → step, replies step → host, each through outbox and inbox.
  for (const { via } of commands) await bus.wire(host, via, 'producer');
  await bus.wire(host, replies, 'consumer');
  for (const { step, via } of commands) {
    await bus.wire(step.name, via, 'consumer');
    await bus.wire(step.name, replies, 'producer');
  }

  // The orchestrator in the host: the saga in the registry, the timeout watcher started and stopped.
  const registry = `${hostDir}/src/sagas/index.ts`;
  const sagaVar = `${sagaNames.camel}Saga`;
  await ctx.editTs(registry, (file, h) => {
    if (!h.findArray(file, 'sagas')) return manualSteps(registry, '`export const sagas: SagaDefinition[] = [...]`', [`import { ${sagaVar} } from './${sagaNames.kebab}/${sagaNames.kebab}.saga.js';`, `${sagaVar},   // in sagas`]);
    h.ensureImport(file, `./${sagaNames.kebab}/${sagaNames.kebab}.saga.js`, sagaVar);
    h.ensureArrayElement(file, 'sagas', sagaVar);
  });
  await bus.finish({
    dir: hostDir,
    wiring: {
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
    },
  });
}
