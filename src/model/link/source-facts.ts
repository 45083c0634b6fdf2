/**
 * Folds what the JavaScript/TypeScript extractor found (SourceFacts) and what
 * a package.json declares into the language-neutral ServiceFacts the rules
 * read, so that a Node service answers the same questions a Java or Go one does.
 */
import { capabilitiesOf } from '../knowledge/index.js';
import type { PackageFacts } from '../extract/package-json.js';
import type { Service } from '../types.js';

export function foldSourceFacts(service: Service, pkg: PackageFacts | null): void {
  const source = service.source;
  const facts = service.facts;
  if (source) {
    facts.sourceFiles += source.files;
    facts.sourceRead ||= source.files > 0;
    if (source.files > 0) {
      const language = service.language === 'unknown' ? 'typescript' : service.language;
      if (!facts.languages.includes(language)) facts.languages.unshift(language);
    }
    facts.calls.push(...source.calls);
    facts.messaging.push(...source.messaging);
    for (const route of source.healthRoutes) facts.health.push({ what: `health route ${route.path}`, location: route.location });
    if (source.tracing) facts.tracing.push({ what: 'tracing set up in code', location: source.tracing });
    facts.crossImports.push(...source.crossImports);
    facts.localState.push(...source.localState);
    for (const call of source.calls) if (call.breaker) facts.breakers.push({ what: `${call.client} call through a circuit breaker`, location: call.location });
  }
  if (pkg) {
    facts.manifestRead = true;
    const location = { file: pkg.dir === '.' ? 'package.json' : `${pkg.dir}/package.json` };
    const known = new Set(facts.dependencies.map((d) => `${d.ecosystem}\0${d.name}`));
    for (const name of pkg.runtime) {
      if (known.has(`npm\0${name}`)) continue;
      facts.dependencies.push({ ecosystem: 'npm', name, scope: 'runtime', location });
      for (const capability of capabilitiesOf({ ecosystem: 'npm', name })) facts.capabilities.push({ capability, via: name, location });
    }
  }
}
