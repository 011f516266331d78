// compose.yaml, read as Compose reads it (YAML with merge keys): PostgreSQL with a healthcheck, and two
// Kasir instances built from the Dockerfile, on one DATABASE_URL that names that PostgreSQL, each started
// once PostgreSQL is healthy and checked with the Dockerfile's own HEALTHCHECK command.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { healthcheck, readDockerfile } from './dockerfile.ts';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
  ports?: string[];
}

const compose: { services: Record<string, Service> } = parse(
  readFileSync(new URL('../../compose.yaml', import.meta.url), 'utf8'),
  { merge: true },
);
const runtime = readDockerfile(new URL('../../Dockerfile', import.meta.url)).at(-1)!;

describe('compose.yaml', () => {
  const services = Object.entries(compose.services);
  const kasirs = services.filter(([, service]) => service.build === '.');
  const [postgresName, postgres] = services.find(([, service]) => service.image?.startsWith('postgres:')) ?? [];

  it('runs PostgreSQL with a pg_isready healthcheck', () => {
    expect(postgres).toBeDefined();
    expect(postgres!.healthcheck?.test?.join(' ')).toMatch(/pg_isready/);
  });

  it('runs two Kasir instances from the Dockerfile on one DATABASE_URL naming that PostgreSQL', () => {
    expect(kasirs).toHaveLength(2);
    const urls = new Set(kasirs.map(([, service]) => service.environment?.DATABASE_URL));
    expect(urls.size).toBe(1);
    const url = new URL([...urls][0]!);
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe(postgresName);
    const env = postgres!.environment ?? {};
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname.slice(1)]).toEqual([
      env.POSTGRES_USER,
      env.POSTGRES_PASSWORD,
      env.POSTGRES_DB,
    ]);
  });

  it('starts each instance once PostgreSQL is healthy, checks it with the image HEALTHCHECK, on its own host port', () => {
    const dockerfileCheck = healthcheck(runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!).command;
    const exposed = runtime.instructions.find((i) => i.keyword === 'EXPOSE')!.args;
    const hostPorts = new Set<string>();
    for (const [name, service] of kasirs) {
      expect(service.depends_on?.[postgresName!]?.condition, name).toBe('service_healthy');
      expect(service.healthcheck?.test, name).toEqual(['CMD', ...dockerfileCheck]);
      expect(service.ports, name).toHaveLength(1);
      const [host, container] = service.ports![0]!.split(':');
      expect(container, name).toBe(exposed);
      hostPorts.add(host!);
    }
    expect(hostPorts.size).toBe(kasirs.length);
  });
});
