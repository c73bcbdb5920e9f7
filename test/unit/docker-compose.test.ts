// Docker cannot run on the build machines, so the compose file is checked by reading it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MIGRATION_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';

interface Service {
  image: string;
  ports?: string[];
  healthcheck?: { test: string[] };
  entrypoint?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.temporal.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const { services } = compose;

describe('docker-compose.temporal.yml', () => {
  it('has Temporal on PostgreSQL, the Web UI and SQL Server 2022', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['postgresql', 'sqlserver', 'temporal', 'temporal-search-attributes', 'temporal-ui'].sort(),
    );
    expect(services.temporal!.environment!.DB).toBe('postgres12');
    expect(services.temporal!.environment!.POSTGRES_SEEDS).toBe('postgresql');
    expect(services.sqlserver!.image).toMatch(/^mcr\.microsoft\.com\/mssql\/server:2022-/);
  });

  it.each([
    ['temporal', '7233:7233'],
    ['temporal-ui', '8080:8080'],
    ['sqlserver', '1433:1433'],
    ['postgresql', '5432:5432'],
  ])('publishes %s on %s', (name, port) => {
    expect(services[name]!.ports).toEqual([port]);
  });

  it('pins every image to a version and health-checks every long-running service', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.image]).not.toEqual([name, expect.stringMatching(/:latest$|^[^:]+$/)]);
      if (name !== 'temporal-search-attributes')
        expect([name, service.healthcheck?.test.length]).toEqual([name, expect.any(Number)]);
    }
  });

  it('registers exactly the search attributes the workflow sets, with their types', () => {
    const args = services['temporal-search-attributes']!.entrypoint!;
    const names = args.filter((a) => a.startsWith('--name=')).map((a) => a.slice('--name='.length));
    const types = args.filter((a) => a.startsWith('--type=')).map((a) => a.slice('--type='.length));
    const expected = MIGRATION_SEARCH_ATTRIBUTES.map((key) => [key.name, key.type]);
    const typeNames: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' };
    expect(names.map((n, i) => [n, types[i]])).toEqual(expected.map(([n, t]) => [n, typeNames[t!]]));
  });

  it('takes the SQL Server password from the environment, never from the file', () => {
    expect(services.sqlserver!.environment!.MSSQL_SA_PASSWORD).toMatch(/^\$\{MSSQL_SA_PASSWORD:\?/);
  });
});
