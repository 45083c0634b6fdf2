/**
 * The rule contract.
 *
 * A rule is a module under `src/check/rules/<id>.ts` whose default export is
 * `defineRule({...})`. The engine walks the model once and calls the visitors
 * of every enabled rule; a rule reports findings through `ctx.report` and
 * never reads files, prints, or decides severities and exit codes.
 *
 * @example
 * export default defineRule({
 *   id: 'no-shared-database',
 *   meta: { item: 'shared-database', description: '…', rationale: '…', fix: '…', defaultSeverity: 'error', recommended: true },
 *   messages: { shared: 'database {{database}} is used by {{services}}' },
 *   defaultOptions: {},
 *   create: (ctx) => ({
 *     database(db) {
 *       if (db.users.length > 1) ctx.report({ messageId: 'shared', data: { database: db.id, services: db.users.join(', ') }, location: db.location });
 *     },
 *   }),
 * });
 */
import type { Channel, Database, Edge, Location, RepoModel, Service } from '../model/types.js';
import type { Finding, ItemId, Severity } from './types.js';

export interface RuleMeta {
  /** The checklist item or anti-pattern the rule serves (null: about the scan itself). */
  item: ItemId | null;
  /** One line: README rules table, `arch rules`, SARIF short description. */
  description: string;
  /** Why it matters. */
  rationale: string;
  /** How to fix it. */
  fix: string;
  defaultSeverity: Severity;
  /** In the recommended preset (on by default). */
  recommended: boolean;
}

export interface Report<M extends string> {
  messageId: M;
  /** Values for `{{placeholders}}` in the message. */
  data?: Record<string, string | number>;
  /** The service the finding is about (null: repository-wide). */
  service?: string | null;
  location?: Location | null;
}

export interface RuleContext<O, M extends string> {
  readonly options: O;
  readonly model: RepoModel;
  report(report: Report<M>): void;
}

/** Visitors keyed by model entity kind; `repo:exit` runs after every entity was visited. */
export interface RuleVisitors {
  service?(service: Service): void;
  database?(database: Database): void;
  channel?(channel: Channel): void;
  edge?(edge: Edge): void;
  'repo:exit'?(): void;
}

/**
 * What a rule says about its checklist item, for the scorecard: `pass` or `fail` only where the evidence covers the
 * item, `unknown` (with what was missing) otherwise. For an anti-pattern, `fail` means present.
 */
export interface Assessment {
  status: 'pass' | 'fail' | 'unknown';
  evidence: string;
}

export interface RuleDefinition<O extends object = object, M extends string = string> {
  /** Equals the file name. */
  id: string;
  meta: RuleMeta;
  messages: Record<M, string>;
  /** JSON Schema of the options object (validated with the config before the scan). */
  schema?: object;
  defaultOptions: O;
  create(ctx: RuleContext<O, M>): RuleVisitors;
  /**
   * The rule's verdict on its item. `findings` are the rule's own findings that were kept (not suppressed, not in
   * the baseline): a rule whose findings are the item's failures returns `fail` when any is left. Default: `fail`
   * with findings, else `pass`.
   */
  assess?(model: RepoModel, options: O, findings: readonly Finding[]): Assessment;
}

export function defineRule<O extends object, M extends string>(rule: RuleDefinition<O, M>): RuleDefinition<O, M> {
  return rule;
}

/** Replaces `{{name}}` placeholders with data values. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, key: string) => (key in data ? String(data[key]) : match));
}
