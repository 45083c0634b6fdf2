/**
 * Which event each generated producer and consumer of a topic uses, read
 * from their syntax trees (the contract they import from `src/events/`), so
 * that `add-producer` / `add-consumer` refuse a second event type on a topic
 * whose other end would dead-letter every message of it.
 */
import { UsageError } from '../../errors.js';
import type { GeneratorContext } from '../define-generator.js';
import { topicCases } from '../names.js';
import type { TsEdit } from '../ts/project.js';
import { messagingServices } from './options.js';
import type { MessagingValues, Role } from './plan.js';

type SourceFile = Parameters<TsEdit>[0];

export interface TopicEnd {
  service: string;
  role: Role;
  event: string;
  /** The producer or consumer module, relative to the workspace root. */
  file: string;
}

/** The event contract a generated producer or consumer module imports (`import { OrderCreated } from '../../events/order-created.js'`). */
function contractOf(file: SourceFile): string | undefined {
  const events = file.getImportDeclarations().find((d) => /^\.\.\/\.\.\/events\/[^/]+\.js$/.test(d.getModuleSpecifierValue()) && !d.isTypeOnly());
  return events?.getNamedImports()[0]?.getName();
}

/** The string a generated producer publishes to (`export const ORDER_CREATED_TOPIC = 'order-created'`). */
function topicOf(file: SourceFile): string | undefined {
  for (const statement of file.getVariableStatements()) {
    for (const declaration of statement.getDeclarations()) {
      const init = declaration.getInitializer();
      if (declaration.getName().endsWith('_TOPIC') && init && /^['"]/.test(init.getText())) return init.getText().slice(1, -1);
    }
  }
  return undefined;
}

/** Every generated producer and consumer of `topic` in the workspace, with the event it uses. */
export async function topicEnds(ctx: GeneratorContext<unknown>, topic: string): Promise<TopicEnd[]> {
  const { editTsText } = await import('../ts/project.js');
  const ends: TopicEnd[] = [];
  for (const service of messagingServices(ctx.model)) {
    const consumer = `${service.dir}/src/messaging/consumers/${topicCases(topic).kebab}.consumer.ts`;
    const candidates: Array<[Role, string]> = ctx.tree.exists(consumer) ? [['consumer', consumer]] : [];
    for (const name of ctx.tree.list(`${service.dir}/src/messaging/producers`)) {
      if (name.endsWith('.producer.ts')) candidates.push(['producer', `${service.dir}/src/messaging/producers/${name}`]);
    }
    for (const [role, file] of candidates) {
      // Read only: the edit changes nothing and its text is dropped (a file that does not parse tells nothing).
      let facts: { event: string | undefined; topic: string | undefined } | undefined;
      await editTsText(file, ctx.tree.read(file) ?? '', (source) => void (facts = { event: contractOf(source), topic: role === 'producer' ? topicOf(source) : topic }));
      if (facts?.event !== undefined && facts.topic === topic) ends.push({ service: service.name, role, event: facts.event, file });
    }
  }
  return ends;
}

/**
 * Refuses to add `event` on `topic` when a producer or consumer of the topic
 * uses another event: consumers check each message against their contract
 * and dead-letter what does not match, so one topic carries one event type.
 * The other end of the topic (a consumer for a producer) is named first.
 */
export async function refuseOtherEvent(ctx: GeneratorContext<unknown>, role: Role): Promise<void> {
  const { topic, event } = (ctx as GeneratorContext<MessagingValues>).options;
  const others = (await topicEnds(ctx, topic)).filter((end) => end.event !== event);
  const other = others.find((end) => end.role !== role) ?? others[0];
  if (!other) return;
  const holder = other.role === 'consumer' ? `${other.service} consumes it as ${other.event}` : `${other.service} publishes ${other.event} on it`;
  const harm = role === 'producer' ? `its consumers would dead-letter every ${event}` : `a consumer of ${event} would dead-letter every message on it`;
  throw new UsageError(
    `topic "${topic}" carries ${other.event} (${holder}, ${other.file}): ${harm}`,
    `Use a topic of its own for ${event} (--topic ${topicCases(String(event)).kebab}), or --event ${other.event}.`,
  );
}
