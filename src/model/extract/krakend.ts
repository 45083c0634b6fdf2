/**
 * KrakenD configuration (`krakend*.json`, `.yaml`, `.yml`, `.toml`): each endpoint's backends, as
 * `<host><url_pattern>` (the backend's `host` list, else the file's global `host`). Breakers: a backend with the
 * circuit-breaker component in its `extra_config` (`qos/circuit-breaker`, and the v1 namespace
 * `github.com/devopsfaith/krakend-circuitbreaker/gobreaker`). A flexible-configuration template (`{{ }}`) is not
 * JSON until KrakenD renders it: skipped.
 */
import type { Evidence, GatewayRoute } from '../facts.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { arr, obj, readDocuments, str, type Json } from './gateway-utils/documents.js';

const EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.toml']);

export default defineExtractor({
  id: 'krakend',
  description: 'KrakenD configuration: endpoints to backend hosts and URL patterns, circuit-breaker components',
  accepts: (file) => file.lower.startsWith('krakend') && EXTENSIONS.has(file.ext),
  needles: ['url_pattern', 'endpoints'],
  extract({ path, text }) {
    const { documents, diagnostics } = readDocuments(path, text);
    const routes: GatewayRoute[] = [];
    const breakers: Evidence[] = [];
    let first: number | null = null;
    for (const doc of documents) {
      const root = obj(doc.value);
      if (!Array.isArray(root.endpoints)) continue;
      first ??= doc.lineOf(['endpoints']);
      const globalHosts = hosts(root.host);
      root.endpoints.forEach((e, i) => {
        const endpoint = obj(e);
        const route = str(endpoint.endpoint);
        arr(endpoint.backend).forEach((b, j) => {
          const backend = obj(b);
          const keys = ['endpoints', i, 'backend', j];
          const location = { file: path, line: doc.lineOf(keys) };
          const extra = obj(backend.extra_config);
          const breaker = Object.keys(extra).some((k) => k === 'qos/circuit-breaker' || k.includes('krakend-circuitbreaker'));
          if (breaker) breakers.push({ what: `KrakenD backend of ${route ?? i}: circuit breaker`, location: { file: path, line: doc.lineOf([...keys, 'extra_config']) } });
          const pattern = str(backend.url_pattern) ?? '';
          const own = hosts(backend.host);
          for (const host of own.length > 0 ? own : globalHosts) routes.push({ path: route, host: null, upstream: `${host.replace(/\/+$/, '')}${pattern}`, breaker, location });
        });
      });
    }
    if (first === null) return null;
    const out: ExtractResult = { gateways: [{ implementation: 'krakend', runsIn: null, routes, location: { file: path, line: first } }] };
    if (breakers.length > 0) out.breakers = breakers;
    if (diagnostics.length > 0) out.diagnostics = diagnostics;
    return out;
  },
});

const hosts = (value: Json | undefined): string[] => (typeof value === 'string' ? [value] : arr(value).map((h) => str(h)).filter((h): h is string => !!h));
