/**
 * Loads the configuration: a YAML or JSON file, then environment overrides, then the zod schema.
 * Errors name the exact path of every wrong field and what is expected.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { MigratorConfigSchema, type MigratorConfig } from './schema';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** MIGRATOR_SOURCE__PORT=14330 sets source.port; segments are SCREAMING_SNAKE for camelCase keys. */
export const ENV_OVERRIDE_PREFIX = 'MIGRATOR_';

function camelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function applyEnvOverrides(config: unknown, env: NodeJS.ProcessEnv): unknown {
  const result = structuredClone(config ?? {}) as Record<string, unknown>;
  const overrides = Object.entries(env)
    .filter(([name, value]) => name.startsWith(ENV_OVERRIDE_PREFIX) && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [name, raw] of overrides) {
    const path = name.slice(ENV_OVERRIDE_PREFIX.length).split('__').map(camelCase);
    let node = result;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    // YAML scalars: "14330" becomes a number, "false" a boolean, "[a, b]" a list.
    node[path[path.length - 1]!] = parseYaml(raw!);
  }
  return result;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}

export function formatConfigIssues(origin: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = formatPath(issue.path) || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return `  - ${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `  - ${where}: ${issue.message}`;
  });
  return `Invalid configuration in ${origin}:\n${lines.join('\n')}`;
}

export function parseConfig(
  raw: unknown,
  origin: string,
  env: NodeJS.ProcessEnv = process.env,
): MigratorConfig {
  const result = MigratorConfigSchema.safeParse(applyEnvOverrides(raw, env));
  if (!result.success) throw new ConfigError(formatConfigIssues(origin, result.error));
  return result.data;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): MigratorConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read the config file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message : String(err);
    throw new ConfigError(`The config file ${path} is not valid YAML or JSON:\n${detail}`);
  }
  return parseConfig(raw, path, env);
}
