import { describe, expect, it } from 'vitest';
import { repositoryAnchor } from '../../src/check/run.js';
import type { RepoModel } from '../../src/model/types.js';

const model = (files: Partial<RepoModel['files']>) => ({ files: { compose: [], kubernetes: [], dockerfiles: [], packageJson: [], source: 0, ...files } }) as unknown as RepoModel;

describe('repositoryAnchor', () => {
  it('prefers the config file, then compose, the root package.json, Kubernetes, Dockerfiles, any package.json', () => {
    const all = { compose: ['compose.yaml'], packageJson: ['services/a/package.json', 'package.json'], kubernetes: ['k8s/a.yaml'], dockerfiles: ['Dockerfile'] };
    expect(repositoryAnchor(model(all), 'arch.config.json')).toBe('arch.config.json');
    expect(repositoryAnchor(model(all), 'package.json#arch')).toBe('package.json');
    expect(repositoryAnchor(model(all), null)).toBe('compose.yaml');
    expect(repositoryAnchor(model({ ...all, compose: [] }), null)).toBe('package.json');
    expect(repositoryAnchor(model({ kubernetes: ['k8s/a.yaml'], dockerfiles: ['Dockerfile'] }), null)).toBe('k8s/a.yaml');
    expect(repositoryAnchor(model({ dockerfiles: ['svc/Dockerfile'], packageJson: ['svc/package.json'] }), null)).toBe('svc/Dockerfile');
    expect(repositoryAnchor(model({ packageJson: ['svc/package.json'] }), null)).toBe('svc/package.json');
    expect(repositoryAnchor(model({}), null)).toBeNull();
  });
});
