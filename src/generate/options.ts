/**
 * Option kinds in one table. Each kind defines, in one place, how its flag is
 * parsed, how it is asked for, how it is validated and how it shows in help
 * (GUIDE: "Option kinds in one table"). Generators declare options with the
 * `option` builder; the CLI builds flags from them and the engine resolves
 * values: flag → default → prompt (interactive only) → error.
 */
import { UsageError } from '../errors.js';
import type { RepoModel } from '../model/types.js';

export interface Choice<T extends string = string> {
  value: T;
  label?: string;
  hint?: string;
}

/** What a prompt implementation is asked. `cli/prompts.ts` implements it with clack. */
export type Question =
  | { kind: 'text'; name: string; message: string; initial?: string; placeholder?: string; validate: (raw: string) => string | undefined }
  | { kind: 'confirm'; name: string; message: string; initial: boolean }
  | { kind: 'select'; name: string; message: string; initial?: string; choices: readonly Choice[] };

export type Ask = (question: Question) => Promise<unknown>;

export interface DefaultContext {
  model: RepoModel;
  /** Absolute directory the generator runs in. */
  root: string;
  /** `--force` was given. */
  force: boolean;
  /** Values resolved so far (options declared earlier). */
  values: Record<string, unknown>;
}

interface OptionCommon<T> {
  /** One line: `--help` text and prompt message. */
  description: string;
  /** Prompt message when it should differ from the description. */
  message?: string;
  /** A value, or a function of the model and earlier values. */
  default?: T | ((ctx: DefaultContext) => T | undefined);
  /** A value must exist after defaults; missing → prompt (interactive) or exit 2. */
  required?: boolean;
  /** Extra validation beyond the kind's own; returns an error message. */
  validate?: (value: T, ctx: DefaultContext) => string | undefined;
  /** Only relevant when this returns true (e.g. `group` only for Kafka). */
  condition?: (values: Record<string, unknown>) => boolean;
  /** Placeholder shown in `--help` after the flag (e.g. `<port>`). */
  valueName?: string;
  /**
   * A choice to put to the user on a terminal whenever no flag gave it, even when nothing required
   * is missing (add-saga's style: the default is only one of two equal answers). `--yes` takes the default.
   */
  alwaysAsk?: boolean;
}

export interface StringOption extends OptionCommon<string> {
  kind: 'string';
  /**
   * Known good values (e.g. the services of the workspace): the prompt
   * offers them as a list instead of a text field. Flags are still checked
   * by `validate` only.
   */
  choices?: (ctx: DefaultContext) => readonly Choice[];
}
export interface IntegerOption extends OptionCommon<number> {
  kind: 'integer';
  min: number;
  max: number;
}
export interface BooleanOption extends OptionCommon<boolean> {
  kind: 'boolean';
}
export interface SelectOption<T extends string = string> extends OptionCommon<T> {
  kind: 'select';
  choices: readonly Choice<T>[];
}

export type OptionSpec = StringOption | IntegerOption | BooleanOption | SelectOption;
export type OptionsSpec = Record<string, OptionSpec>;

type ValueOf<S> = S extends StringOption
  ? string
  : S extends IntegerOption
    ? number
    : S extends BooleanOption
      ? boolean
      : S extends SelectOption<infer T>
        ? T
        : never;

/** Resolved option values; options without `required` or a default may be undefined. */
export type OptionValues<O extends OptionsSpec> = {
  [K in keyof O]: O[K] extends { required: true } ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

/** Builders: `option.string({...})` etc. */
export const option = {
  string: <const S extends Omit<StringOption, 'kind'>>(spec: S) => ({ ...spec, kind: 'string' as const }),
  integer: <const S extends Omit<IntegerOption, 'kind'>>(spec: S) => ({ ...spec, kind: 'integer' as const }),
  boolean: <const S extends Omit<BooleanOption, 'kind'>>(spec: S) => ({ ...spec, kind: 'boolean' as const }),
  select: <T extends string, const S extends Omit<SelectOption<T>, 'kind'>>(spec: S & { choices: readonly Choice<T>[] }) =>
    ({ ...spec, kind: 'select' as const }) as S & { kind: 'select'; choices: readonly Choice<T>[] },
};

/** `portNumber` → `--port-number`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

interface KindBehaviour {
  /** Turns a raw flag value (string from argv, or boolean) into a typed value; returns an error message on failure. */
  parse(spec: OptionSpec, raw: unknown): { value: unknown } | { error: string };
  /** The question to ask for this option. */
  question(key: string, spec: OptionSpec, initial: unknown, ctx: DefaultContext): Question;
  /** Help suffix, e.g. ` (kafka|rabbitmq)`. */
  helpSuffix(spec: OptionSpec): string;
}

/** Strings and numbers are typed in; the answer is checked by the same validation as the flag. */
const textQuestion: KindBehaviour['question'] = (key, spec, initial, ctx) => ({
  kind: 'text',
  name: key,
  message: spec.message ?? spec.description,
  ...(initial === undefined ? {} : { initial: String(initial) }),
  validate: (raw) => validateValue(key, spec, raw, ctx),
});

const KINDS: Record<OptionSpec['kind'], KindBehaviour> = {
  string: {
    parse: (_spec, raw) => ({ value: String(raw) }),
    question: (key, spec, initial, ctx) => {
      const choices = (spec as StringOption).choices?.(ctx) ?? [];
      if (choices.length === 0) return textQuestion(key, spec, initial, ctx);
      return {
        kind: 'select',
        name: key,
        message: spec.message ?? spec.description,
        choices,
        ...(initial === undefined ? {} : { initial: String(initial) }),
      };
    },
    helpSuffix: () => '',
  },
  integer: {
    parse: (spec, raw) => {
      const s = spec as IntegerOption;
      const text = String(raw).trim();
      if (!/^\d+$/.test(text)) return { error: `must be a whole number, got ${JSON.stringify(String(raw))}` };
      const n = Number(text);
      if (n < s.min || n > s.max) return { error: `must be between ${s.min} and ${s.max}, got ${n}` };
      return { value: n };
    },
    question: textQuestion,
    helpSuffix: (spec) => ` (${(spec as IntegerOption).min}–${(spec as IntegerOption).max})`,
  },
  boolean: {
    parse: (_spec, raw) => {
      if (typeof raw === 'boolean') return { value: raw };
      const text = String(raw).toLowerCase();
      if (['true', 'yes', '1'].includes(text)) return { value: true };
      if (['false', 'no', '0'].includes(text)) return { value: false };
      return { error: `must be true or false, got ${JSON.stringify(String(raw))}` };
    },
    question: (key, spec, initial) => ({
      kind: 'confirm',
      name: key,
      message: spec.message ?? spec.description,
      initial: initial === true,
    }),
    helpSuffix: () => '',
  },
  select: {
    parse: (spec, raw) => {
      const choices = (spec as SelectOption).choices.map((c) => c.value);
      const text = String(raw);
      if (!choices.includes(text)) return { error: `must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}` };
      return { value: text };
    },
    question: (key, spec, initial) => ({
      kind: 'select',
      name: key,
      message: spec.message ?? spec.description,
      choices: (spec as SelectOption).choices,
      ...(initial === undefined ? {} : { initial: String(initial) }),
    }),
    helpSuffix: (spec) => ` (${(spec as SelectOption).choices.map((c) => c.value).join('|')})`,
  },
};

/** Parses and validates a raw value; returns an error message or undefined. */
function validateValue(key: string, spec: OptionSpec, raw: unknown, ctx: DefaultContext): string | undefined {
  const parsed = KINDS[spec.kind].parse(spec, raw);
  if ('error' in parsed) return `${flagName(key)} ${parsed.error}`;
  return spec.validate?.(parsed.value as never, ctx);
}

export function helpText(spec: OptionSpec): string {
  return spec.description + KINDS[spec.kind].helpSuffix(spec);
}

function defaultFor(spec: OptionSpec, ctx: DefaultContext): unknown {
  return typeof spec.default === 'function' ? (spec.default as (c: DefaultContext) => unknown)(ctx) : spec.default;
}

export interface ResolveInput {
  /** Raw values from flags and positional arguments, keyed by option name; undefined = not given. */
  raw: Record<string, unknown>;
  model: RepoModel;
  root: string;
  force: boolean;
  /** Prompting allowed (a TTY and no `--yes`). */
  interactive: boolean;
  ask: Ask;
  /** Options given as positional arguments (`create-service <name>`): a missing one is named as the argument, not as a flag. */
  args?: readonly { name: string; option: string }[];
}

/**
 * Resolves every option: given flags are parsed and validated (UsageError on
 * bad input); when interactive and a required value is missing, every option
 * not given by flag is asked, with its default preselected (options marked
 * `alwaysAsk` are asked on a terminal in any case); otherwise
 * defaults fill the gaps and a missing required value is a UsageError naming
 * the flag.
 */
export async function resolveOptions<O extends OptionsSpec>(spec: O, input: ResolveInput): Promise<OptionValues<O>> {
  const values: Record<string, unknown> = {};
  const ctx: DefaultContext = { model: input.model, root: input.root, force: input.force, values };
  // 1. Flags, validated before anything is asked or planned.
  for (const [key, opt] of Object.entries(spec)) {
    const raw = input.raw[key];
    if (raw === undefined) continue;
    const error = validateValue(key, opt, raw, ctx);
    if (error) throw new UsageError(error);
    values[key] = (KINDS[opt.kind].parse(opt, raw) as { value: unknown }).value;
  }
  const active = (opt: OptionSpec) => !opt.condition || opt.condition(values);
  const missingRequired = () =>
    Object.entries(spec).some(([key, opt]) => active(opt) && opt.required && values[key] === undefined && defaultFor(opt, ctx) === undefined);
  const askAll = input.interactive && missingRequired();
  // 2. Defaults and prompts, in declaration order (later defaults may depend on earlier values).
  for (const [key, opt] of Object.entries(spec)) {
    if (values[key] !== undefined) continue;
    if (!active(opt)) continue;
    const fallback = defaultFor(opt, ctx);
    if (askAll || (input.interactive && opt.alwaysAsk === true)) {
      const answer = await input.ask(KINDS[opt.kind].question(key, opt, fallback, ctx));
      const parsed = KINDS[opt.kind].parse(opt, answer);
      if ('error' in parsed) throw new UsageError(`${flagName(key)} ${parsed.error}`);
      values[key] = parsed.value;
      continue;
    }
    if (fallback !== undefined) {
      const error = validateValue(key, opt, fallback, ctx);
      if (error) throw new UsageError(error);
      values[key] = fallback;
    } else if (opt.required) {
      const arg = input.args?.find((a) => a.option === key);
      throw new UsageError(
        `missing required ${arg ? `argument <${arg.name}>` : flagName(key)} (${opt.description.toLowerCase()})`,
        input.interactive ? undefined : `Pass it ${arg ? 'as an argument' : 'as a flag'}; prompts only appear on an interactive terminal without --yes.`,
      );
    }
  }
  return values as OptionValues<O>;
}
