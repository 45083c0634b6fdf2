import { describe, expect, it } from 'vitest';
import { configHosts } from '../../../src/model/link/config-hosts.js';

describe('configHosts', () => {
  it('a unit that mounts the file, or a folder above it, runs it; the most specific first', () => {
    const units = [
      { name: 'edge', mounts: ['nginx/templates'] },
      { name: 'proxy', mounts: ['./nginx/templates/default.conf.template'] },
      { name: 'web', copies: ['.'] },
      { name: 'api', mounts: ['api/config'], copies: ['api/src'] },
    ];
    expect(configHosts('nginx/templates/default.conf.template', units)).toEqual(['proxy', 'edge', 'web']);
  });

  it('a COPY of the file into an image; nothing for units that neither mount nor copy it, or a sibling with a common prefix', () => {
    expect(configHosts('gateway/envoy.yaml', [{ name: 'gw', copies: ['gateway/envoy.yaml'] }])).toEqual(['gw']);
    expect(configHosts('gateway/envoy.yaml', [{ name: 'gw2', mounts: ['gateway2'] }, { name: 'none' }])).toEqual([]);
  });
});
