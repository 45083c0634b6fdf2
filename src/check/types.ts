/**
 * The result of `arch check`: what reporters receive. Stable: the `json`
 * format is this object as JSON, documented in the README.
 */

/** The twelve items of the architecture checklist (eight items, four anti-patterns). */
export const ITEMS = [
  'service-boundaries',
  'database-per-service',
  'api-gateway',
  'circuit-breakers',
  'event-driven',
  'tracing',
  'health-checks',
  'horizontal-scaling',
  'distributed-monolith',
  'chatty-services',
  'shared-database',
  'no-circuit-breakers',
] as const;

export type ItemId = (typeof ITEMS)[number];

/** Human titles of the items, in SPEC order. Anti-patterns: `fail` means the anti-pattern is present. */
export const ITEM_TITLES: Readonly<Record<ItemId, string>> = {
  'service-boundaries': 'Clear service boundaries',
  'database-per-service': 'Database per service',
  'api-gateway': 'API gateway configured',
  'circuit-breakers': 'Circuit breakers for resilience',
  'event-driven': 'Event-driven communication',
  tracing: 'Distributed tracing',
  'health-checks': 'Health checks for all services',
  'horizontal-scaling': 'Horizontal scaling capability',
  'distributed-monolith': 'Anti-pattern: distributed monolith',
  'chatty-services': 'Anti-pattern: chatty services',
  'shared-database': 'Anti-pattern: shared database',
  'no-circuit-breakers': 'Anti-pattern: no circuit breakers',
};

export const ANTI_PATTERNS: ReadonlySet<ItemId> = new Set(['distributed-monolith', 'chatty-services', 'shared-database', 'no-circuit-breakers']);

export type Severity = 'error' | 'warning';

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The checklist item the rule serves; null for findings about the scan itself (unparseable files). */
  item: ItemId | null;
  /** The service the finding is about, or null for repository-wide findings. */
  service: string | null;
  message: string;
  /** Relative to the checked root, forward slashes; null when there is no file. */
  file: string | null;
  line: number | null;
  column: number | null;
  /**
   * Stable across runs: rule, item, the service and entities the finding is
   * about, file, and the text (not the number) of its line; `:2`, `:3` … on
   * findings that would share one. The baseline matches on it.
   */
  fingerprint: string;
}

export interface ScorecardEntry {
  status: 'pass' | 'fail' | 'unknown';
  /** Rules that serve this item. */
  rules: string[];
  /** One sentence: why this status (for `unknown`: what evidence is missing; accepted findings are named). */
  evidence: string;
  /** Findings of this item's rules silenced by `arch-ignore` comments (absent when none): they fail nothing. */
  suppressed?: number;
  /** Findings of this item's rules recorded in the baseline (absent when none): they fail nothing. */
  baselined?: number;
}

/** Metadata of a rule, as reporters need it (SARIF rule descriptors, verbose output). */
export interface RuleInfo {
  id: string;
  item: ItemId | null;
  description: string;
  rationale: string;
  fix: string;
  defaultSeverity: Severity;
}

/** A fact's answer and what showed it (file:line where known). */
export interface FactAnswer {
  answer: 'yes' | 'no' | 'unknown';
  evidence: string[];
}

/** One service as `arch check` saw it. */
export interface ServiceSummary {
  name: string;
  dir: string | null;
  origins: string[];
  language: string;
  /** Source files read, and whether a build manifest was. */
  sourceFiles: number;
  manifestRead: boolean;
  databases: string[];
  health: FactAnswer;
  tracing: FactAnswer;
  /** Breakers applied (call sites, annotations, configuration, gateway routes). */
  breakers: string[];
  brokers: string[];
  /** Synchronous calls to other services: target, where, in a loop or not, behind a breaker or not. */
  syncCalls: Array<{ to: string; at: string; inLoop: boolean; breaker: boolean }>;
  deployments: Array<{ format: string; name: string; at: string }>;
  localState: string[];
}

export interface CheckResult {
  version: 1;
  /** Findings after configuration, suppressions and the baseline, in deterministic order. */
  findings: Finding[];
  scorecard: Record<ItemId, ScorecardEntry>;
  /** The services found, each with the facts its verdicts rest on (so that a wrong verdict traces to a wrong fact). */
  services: ServiceSummary[];
  /** Gateways and proxies found, with the services their routes reach. */
  gateways?: Array<{ name: string; implementation: string; service: string | null; routesTo: string[] }>;
  /** Infrastructure found beside the services (databases, brokers, proxies, platform servers), with why. */
  infrastructure?: Array<{ name: string; role: string; reason: string | null }>;
  /** Every rule that ran. */
  rules: RuleInfo[];
  summary: {
    errors: number;
    warnings: number;
    /** Findings silenced by inline `arch-ignore` comments. */
    suppressed: number;
    /** Findings matched by the baseline. */
    baselined: number;
    /** Files scanned. */
    files: number;
  };
}

export interface ReporterOptions {
  /** Use ANSI colours. */
  color: boolean;
  /** Absolute path of the checked root (for links and SARIF `originalUriBaseIds`). */
  root: string;
  /** Include rationale and fix for each finding. */
  verbose: boolean;
  /**
   * A repository-level file (the config, else a compose file, else the root
   * package.json …) that repository-wide findings point at in formats that
   * need a location for every result (SARIF: GitHub code scanning drops
   * results without one). Null when the repository has none.
   */
  anchor?: string | null;
}

/** A reporter is a pure function of the result: no I/O, no process, no exit codes. */
export type Reporter = (result: CheckResult, options: ReporterOptions) => string;
