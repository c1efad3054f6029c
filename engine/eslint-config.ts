/**
 * The blockcheck rules' severities and options as the project's ESLint config sets them, read with ESLint's
 * own API (`calculateConfigForFile`) so every config form ESLint accepts works. When the config does not
 * mention blockcheck, or there is none, or ESLint cannot load it, the recommended settings apply.
 */
import path from 'node:path';
import { recommendedLevel, RULE_NAMES, RULES, SOURCE_EXTENSIONS, type AnalysisOptions, type RuleName } from '../core/index.js';

export interface RuleSetting {
  severity: 'error' | 'warning';
  options: AnalysisOptions;
}

/** Per rule: its setting, or undefined when the rule is off for the file. */
export type RuleSettings = Readonly<Record<RuleName, RuleSetting | undefined>>;

/** The plugin's `recommended` config, the settings of a project that configures nothing. */
export const RECOMMENDED: RuleSettings = toSettings(Object.fromEntries(RULES.map((rule) => [`blockcheck/${rule.name}`, recommendedLevel(rule)])), null);

export interface RuleSettingsSource {
  settingsFor(fileName: string): Promise<RuleSettings>;
  /** Whether the config's global `ignores` leave the file out of linting (ESLint's isPathIgnored). */
  isIgnored(fileName: string): Promise<boolean>;
  /** Set when ESLint itself could not be loaded (shown once as a warning). */
  readonly warning: string | undefined;
  /** Set when the project's config exists but cannot be used (a syntax error, or it throws): a config error. */
  readonly configError: ConfigError | undefined;
}

export interface ConfigError {
  /** The config file, when ESLint can tell which it is. */
  file: string | undefined;
  /** The first line of ESLint's error. */
  message: string;
  /** The whole error, for --debug. */
  stack: string | undefined;
}

interface EslintLike {
  calculateConfigForFile(filePath: string): Promise<{ rules?: Record<string, unknown> } | undefined>;
  isPathIgnored(filePath: string): Promise<boolean>;
  findConfigFile(filePath?: string): Promise<string | undefined>;
}

export const RECOMMENDED_SOURCE: RuleSettingsSource = {
  settingsFor: () => Promise.resolve(RECOMMENDED),
  isIgnored: () => Promise.resolve(false),
  warning: undefined,
  configError: undefined,
};

/** `cannot use eslint.config.js: Unexpected token ...`: the config error in one line, paths relative to `cwd`. */
export function describeConfigError(error: ConfigError, cwd: string): string {
  const file = error.file === undefined ? 'the ESLint config' : path.relative(cwd, error.file) || error.file;
  return `cannot use ${file}: ${error.message}`;
}

/**
 * Loads ESLint lazily: it is a peer dependency, and a zero-config audit of a project without ESLint must
 * not need it.
 */
export async function loadRuleSettings(cwd: string): Promise<RuleSettingsSource> {
  // typescript-eslint decides between single-run and watch-mode program handling from this variable when the
  // project's config loads it; an audit is a single run.
  process.env.TSESTREE_SINGLE_RUN = 'true';
  let eslint: EslintLike;
  try {
    const { ESLint } = await import('eslint');
    // ESLint counts a file no config object matches (a .ts file, in a JavaScript-only config) as ignored;
    // this object matches every source file, so that only the config's own ignores leave one out.
    eslint = new ESLint({ cwd, overrideConfig: [{ name: 'blockcheck/audited-files', files: SOURCE_EXTENSIONS.map((extension) => `**/*${extension}`) }] });
  } catch (error) {
    return warnedSource(`could not load ESLint (${firstLine(error)}); using the recommended rule settings`);
  }
  let configError: ConfigError | undefined;
  let broken = false;
  const cache = new Map<string, RuleSettings>();
  return {
    warning: undefined,
    get configError() {
      return configError;
    },
    async settingsFor(fileName) {
      if (broken) return RECOMMENDED;
      let rules: Record<string, unknown> | undefined;
      try {
        rules = (await eslint.calculateConfigForFile(fileName))?.rules;
      } catch (error) {
        broken = true;
        const message = firstLine(error);
        // No config file at all is the zero-config case, not an error.
        if (!/Could not find config file/i.test(message)) {
          // A syntax error's message does not say in which file.
          const file = await eslint.findConfigFile(fileName).catch(() => undefined);
          configError = { file, message, stack: error instanceof Error ? error.stack : undefined };
        }
        return RECOMMENDED;
      }
      const key = JSON.stringify(RULE_NAMES.map((rule) => rules?.[`blockcheck/${rule}`]));
      let settings = cache.get(key);
      if (!settings) {
        settings = toSettings(rules ?? {});
        cache.set(key, settings);
      }
      return settings;
    },
    async isIgnored(fileName) {
      if (broken) return false;
      try {
        return await eslint.isPathIgnored(fileName);
      } catch {
        // No config file (the zero-config case) or one ESLint cannot load: settingsFor says so once.
        return false;
      }
    },
  };
}

function warnedSource(warning: string): RuleSettingsSource {
  return { ...RECOMMENDED_SOURCE, warning };
}

/** A config that names no blockcheck rule gets the recommended set; one that names some gets exactly those. */
function toSettings(rules: Record<string, unknown>, fallback: RuleSettings | null = RECOMMENDED): RuleSettings {
  if (fallback && !RULE_NAMES.some((rule) => `blockcheck/${rule}` in rules)) return fallback;
  const entry = (rule: RuleName): RuleSetting | undefined => {
    const value = rules[`blockcheck/${rule}`];
    const [level, options] = Array.isArray(value) ? (value as readonly unknown[]) : [value];
    const severity = normalizeLevel(level);
    if (!severity) return undefined;
    return { severity, options: isObject(options) ? options : {} };
  };
  return Object.fromEntries(RULE_NAMES.map((rule) => [rule, entry(rule)])) as Record<RuleName, RuleSetting | undefined>;
}

function normalizeLevel(level: unknown): RuleSetting['severity'] | undefined {
  if (level === 2 || level === 'error') return 'error';
  if (level === 1 || level === 'warn') return 'warning';
  return undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
