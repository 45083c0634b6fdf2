import { describe, expect, it } from 'vitest';
import dotenv, { dotenvProfile } from '../../../src/model/extract/dotenv.js';
import { runExtractor } from '../../helpers/extract.js';

describe('dotenv extractor', () => {
  it('gives each variable as a setting, with its line and the file variant as the profile', async () => {
    const result = await runExtractor(dotenv, 'storefront/.env.production', '# api\nAPI_BASE_PATH=http://storefront/api\nexport DB_HOST=db\nURL=${API_BASE_PATH}/x\n');
    expect(result?.settings).toEqual([
      { key: 'API_BASE_PATH', value: 'http://storefront/api', profile: 'production', location: { file: 'storefront/.env.production', line: 2 } },
      { key: 'DB_HOST', value: 'db', profile: 'production', location: { file: 'storefront/.env.production', line: 3 } },
      { key: 'URL', value: 'http://storefront/api/x', profile: 'production', location: { file: 'storefront/.env.production', line: 4 } },
    ]);
  });

  it('takes .env.example for the git-ignored .env (no profile), and reads no other file', async () => {
    expect(dotenvProfile('.env.example')).toBeNull();
    expect(dotenvProfile('.env.local')).toBe('local');
    expect(dotenvProfile('.env.production.local')).toBe('production');
    expect(dotenvProfile('app.env')).toBeNull();
    expect(dotenvProfile('environment.ts')).toBeUndefined();
    expect(await runExtractor(dotenv, 'src/envs.ts', 'A=1')).toBeNull();
    expect(await runExtractor(dotenv, '.env', '# only a comment\n')).toBeNull();
  });
});
