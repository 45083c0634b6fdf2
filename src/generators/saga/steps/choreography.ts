/**
 * `--style choreography`: no orchestrator. The first service starts the
 * saga with a `<saga>.started` event to its own step; each step done
 * (`<saga>.<step>.done`) runs the next one, the last one completes the
 * saga in the first service; a step refused or compensated
 * (`<saga>.<step>.reverted`) has the step before it compensate; and the
 * first service aborts a saga still running at its deadline
 * (`<saga>.aborted`, to every other step). Every event goes through the
 * outbox and is consumed through the inbox.
 */
import type { GeneratorContext } from '../../../generate/define-generator.js';
import { migrationName } from '../../../generate/messaging/plan.js';
import { topicCases } from '../../../generate/names.js';
import { manualSteps } from '../../../generate/service-wiring.js';
import { channel, messaging, type Channel, type SagaPlan, type StepInfo } from './plan.js';

/** What a service does with an event it receives: an engine function applied to a part (or the saga). */
interface Reaction {
  step: StepInfo;
  engineFunction: 'runStep' | 'undoStep' | 'abortStep' | 'completeChoreography';
  purpose: string;
}

interface Link {
  via: Channel;
  kind: 'progress' | 'reverted' | 'aborted';
  summary: string;
  from: StepInfo;
  to: Reaction[];
}

/** The saga's events, and who sends which to whom: the whole choreography, as data. */
function choreography(plan: SagaPlan) {
  const { saga, sagaNames, steps } = plan;
  const first = steps[0]!;
  const started = channel(`${saga}.started`, `${sagaNames.pascal}Started`);
  const aborted = channel(`${saga}.aborted`, `${sagaNames.pascal}Aborted`);
  const done = steps.map((step) => channel(`${saga}.${step.name}.done`, `${sagaNames.pascal}${step.names.pascal}Done`));
  const reverted = steps.map((step, i) => (i === 0 ? null : channel(`${saga}.${step.name}.reverted`, `${sagaNames.pascal}${step.names.pascal}Reverted`)));
  const links: Link[] = [
    {
      via: started,
      kind: 'progress',
      summary: `Starts a ${saga} saga (sent by ${first.name}): the ${first.name} step runs.`,
      from: first,
      to: [{ step: first, engineFunction: 'runStep', purpose: `the ${first.name} step runs` }],
    },
  ];
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    links.push({
      via: done[i]!,
      kind: 'progress',
      summary: next ? `The ${step.name} step of the ${saga} saga is done: the ${next.name} step runs.` : `The ${step.name} step, the last of the ${saga} saga, is done: the saga completed.`,
      from: step,
      to: [next ? { step: next, engineFunction: 'runStep', purpose: `the ${next.name} step runs` } : { step: first, engineFunction: 'completeChoreography', purpose: 'the saga completed' }],
    });
  });
  steps.forEach((step, i) => {
    const before = steps[i - 1];
    if (!before) return;
    links.push({
      via: reverted[i]!,
      kind: 'reverted',
      summary: `The ${step.name} step of the ${saga} saga did not stand (refused, or compensated): the ${before.name} step compensates.`,
      from: step,
      to: [{ step: before, engineFunction: 'undoStep', purpose: `the ${before.name} step compensates, and reports it` }],
    });
  });
  links.push({
    via: aborted,
    kind: 'aborted',
    summary: `The ${saga} saga was given up by ${first.name} (its deadline passed): every step undoes its part.`,
    from: first,
    to: steps.slice(1).map((step) => ({ step, engineFunction: 'abortStep', purpose: `the ${step.name} step is undone if it ran, and never runs later` })),
  });
  return { started, aborted, done, reverted, links };
}

export async function runChoreography(ctx: GeneratorContext<unknown>, plan: SagaPlan): Promise<void> {
  const { saga, sagaNames, steps, broker } = plan;
  const first = steps[0]!;
  const { started, aborted, done, reverted, links } = choreography(plan);
  const partVar = (step: StepInfo) => `${sagaNames.camel}${step.names.pascal}Part`;
  const base = { saga, sagaNames, sagaKebab: sagaNames.kebab, host: first.name, hostKebab: first.names.kebab, steps: steps.map((s) => ({ name: s.name })) };

  // Saga files first: the contracts and handlers they stage are the ones the messaging sets then keep.
  ctx.render(
    'saga',
    first.dir,
    {
      ...base,
      firstPartVar: partVar(first),
      startedEventNames: started.eventNames,
      abortedEventNames: aborted.eventNames,
      startsMigration: migrationName(ctx, first.dir, 'create-saga-starts'),
    },
    { overlays: ['rounds', 'initiator'], once: [`src/sagas/${sagaNames.kebab}/definition.ts`, 'src/sagas/choreographies.ts'] },
  );
  for (const [i, step] of steps.entries()) {
    const data = {
      ...base,
      step: step.name,
      stepKebab: step.names.kebab,
      first: step === first,
      partVar: partVar(step),
      doneEventNames: done[i]!.eventNames,
      revertedEventNames: reverted[i]?.eventNames ?? null,
      stepsMigration: migrationName(ctx, step.dir, 'create-saga-steps'),
    };
    ctx.render('saga', step.dir, data, { overlays: ['step', 'choreography'], once: [`src/sagas/${sagaNames.kebab}/${step.names.kebab}.step.ts`] });
  }
  for (const link of links) {
    const contract = ctx.renderFile('saga/contracts/choreography-event.ts.hbs', {
      ...link.via,
      summary: link.summary,
      isProgress: link.kind === 'progress',
      isReverted: link.kind === 'reverted',
      isAborted: link.kind === 'aborted',
    });
    for (const dir of new Set([link.from.dir, ...link.to.map((r) => r.step.dir)])) ctx.tree.write(`${dir}/src/events/${link.via.eventNames.kebab}.ts`, contract);
    for (const reaction of link.to) {
      const completes = reaction.engineFunction === 'completeChoreography';
      const handler = ctx.renderFile('saga/handlers/choreography.handler.ts.hbs', {
        ...base,
        ...link.via,
        stepKebab: reaction.step.names.kebab,
        purpose: reaction.purpose,
        engineFunction: reaction.engineFunction,
        engineModule: completes ? 'initiator' : 'choreography',
        subject: completes ? `${sagaNames.camel}Saga` : partVar(reaction.step),
        subjectModule: completes ? `${sagaNames.kebab}.choreography` : `${reaction.step.names.kebab}.part`,
      });
      ctx.tree.write(`${reaction.step.dir}/src/messaging/handlers/${topicCases(link.via.topic).kebab}.handler.ts`, handler);
    }
  }

  const bus = messaging(ctx, plan);
  // The messaging underneath: each event from its sender's outbox to its receivers' inboxes.
  for (const link of links) {
    await bus.wire(link.from.name, link.via, 'producer');
    for (const reaction of link.to) await bus.wire(reaction.step.name, link.via, 'consumer');
  }

  // The first service watches the saga's deadline: the saga in its registry, the timer started and stopped.
  const registry = `${first.dir}/src/sagas/choreographies.ts`;
  const sagaVar = `${sagaNames.camel}Saga`;
  const module = `./${sagaNames.kebab}/${sagaNames.kebab}.choreography.js`;
  await ctx.editTs(registry, (file, h) => {
    if (!h.findArray(file, 'choreographies')) return manualSteps(registry, '`export const choreographies: ChoreographedSaga[] = [...]`', [`import { ${sagaVar} } from '${module}';`, `${sagaVar},   // in choreographies`]);
    h.ensureImport(file, module, sagaVar);
    h.ensureArrayElement(file, 'choreographies', sagaVar);
  });
  await bus.finish({
    dir: first.dir,
    wiring: {
      broker,
      starts: [
        {
          statement: 'const choreographyTimer = startChoreographyTimer({ pool, sagas: choreographies, logger });',
          imports: [
            ['./sagas/choreographies.js', 'choreographies'],
            ['./sagas/initiator.js', 'startChoreographyTimer'],
          ],
        },
      ],
      closers: [{ name: 'choreography timer', close: 'choreographyTimer.stop()', before: ['outbox relay', broker, 'postgres', 'tracing'] }],
    },
  });
}
