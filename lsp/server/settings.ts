/**
 * The `blockcheck.*` settings, read per workspace folder (never a global default for every folder), checked
 * field by field: a bad value is reported in one line and replaced by its default, the rest still applies.
 */
import { RULE_NAMES } from '../../core/index.js';
import type { AnalysisOptions, HandlerRegistrar, RuleName } from '../../core/types.js';

export type RuleSeverity = 'off' | 'warn' | 'error';

export interface Settings {
  enable: boolean;
  /** Analyze the unsaved text on every edit, or only the saved text. */
  run: 'onType' | 'onSave';
  /** Severity overrides, on top of the project's ESLint config (or the recommended config). */
  rules: Partial<Record<RuleName, RuleSeverity>>;
  /** Extra catalog entries, as the rules' `additionalApis` option. */
  additionalApis: NonNullable<AnalysisOptions['additionalApis']>;
  /** Extra handler registrars, as the rules' `handlerRegistrars` option. */
  handlerRegistrars: HandlerRegistrar[];
  /** The `blockcheck audit --probe` JSON report, relative to the workspace folder. */
  auditReport: string;
  /** Validations slower than this are logged with the file. */
  slowValidationMs: number;
  /** Also show, as information, the calls handlers reach whose target cannot be known (`audit --strict`). */
  strict: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  enable: true,
  run: 'onType',
  rules: {},
  additionalApis: [],
  handlerRegistrars: [],
  auditReport: '.blockcheck/last-audit.json',
  slowValidationMs: 100,
  strict: false,
});

/** Settings from the client's raw `blockcheck` section; `problems` receives one line per rejected field. */
export function parseSettings(raw: unknown, problems: (message: string) => void): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  if (raw === null || raw === undefined) return settings;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems('blockcheck settings must be an object; using the defaults');
    return settings;
  }
  const input = raw as Record<string, unknown>;
  const reject = (key: string, expected: string) => problems(`blockcheck.${key} must be ${expected} (got ${JSON.stringify(input[key])}); using the default`);

  if (input.enable !== undefined) {
    if (typeof input.enable === 'boolean') settings.enable = input.enable;
    else reject('enable', 'true or false');
  }
  if (input.run !== undefined) {
    if (input.run === 'onType' || input.run === 'onSave') settings.run = input.run;
    else reject('run', '"onType" or "onSave"');
  }
  if (input.rules !== undefined) settings.rules = parseRuleSeverities(input.rules, problems);
  if (input.additionalApis !== undefined) {
    if (isObjectArray(input.additionalApis)) {
      settings.additionalApis = input.additionalApis as Settings['additionalApis'];
    } else reject('additionalApis', 'an array of catalog entries');
  }
  if (input.handlerRegistrars !== undefined) {
    if (isObjectArray(input.handlerRegistrars)) {
      settings.handlerRegistrars = input.handlerRegistrars as HandlerRegistrar[];
    } else reject('handlerRegistrars', 'an array of { declaration, label }');
  }
  if (input.auditReport !== undefined) {
    if (typeof input.auditReport === 'string' && input.auditReport !== '') settings.auditReport = input.auditReport;
    else reject('auditReport', 'a path');
  }
  if (input.strict !== undefined) {
    if (typeof input.strict === 'boolean') settings.strict = input.strict;
    else reject('strict', 'true or false');
  }
  if (input.slowValidationMs !== undefined) {
    const value = input.slowValidationMs;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) settings.slowValidationMs = value;
    else reject('slowValidationMs', 'a number of milliseconds');
  }
  return settings;
}

/** What the client decides for the whole session, in `initializationOptions` (never a workspace setting). */
export interface InitializationOptions {
  /**
   * Load the workspace's ESLint config, which runs its code and the plugins it imports. Only a client that
   * asked the user (and trusts the workspace) sets it; until then the recommended settings apply.
   */
  loadEslintConfig: boolean;
}

export function parseInitializationOptions(raw: unknown, problems: (message: string) => void): InitializationOptions {
  const options: InitializationOptions = { loadEslintConfig: false };
  if (raw === null || raw === undefined) return options;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems('blockcheck: initializationOptions must be an object; using the defaults');
    return options;
  }
  const loadEslintConfig = (raw as Record<string, unknown>).loadEslintConfig;
  if (typeof loadEslintConfig === 'boolean') options.loadEslintConfig = loadEslintConfig;
  else if (loadEslintConfig !== undefined)
    problems(
      `blockcheck: initializationOptions.loadEslintConfig must be true or false (got ${JSON.stringify(loadEslintConfig)}); not loading the ESLint config`,
    );
  return options;
}

/** ESLint's severity spellings (`0/1/2`, `"off"/"warn"/"error"`, or `[severity, options]`) to ours. */
function toRuleSeverity(value: unknown): RuleSeverity | undefined {
  const severity: unknown = Array.isArray(value) ? value[0] : value;
  switch (severity) {
    case 0:
    case 'off':
      return 'off';
    case 1:
    case 'warn':
      return 'warn';
    case 2:
    case 'error':
      return 'error';
    default:
      return undefined;
  }
}

/** A rule key as users write it: `no-sync-io` or `blockcheck/no-sync-io`. */
function toRuleName(key: string): RuleName | undefined {
  const name = key.startsWith('blockcheck/') ? key.slice('blockcheck/'.length) : key;
  return (RULE_NAMES as readonly string[]).includes(name) ? (name as RuleName) : undefined;
}

function parseRuleSeverities(raw: unknown, problems: (message: string) => void): Settings['rules'] {
  const rules: Settings['rules'] = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems('blockcheck.rules must map rule names to "off", "warn" or "error"; ignoring it');
    return rules;
  }
  for (const [key, value] of Object.entries(raw)) {
    const name = toRuleName(key);
    const severity = toRuleSeverity(value);
    if (!name) problems(`blockcheck.rules: unknown rule "${key}" (known: ${RULE_NAMES.join(', ')})`);
    else if (!severity) problems(`blockcheck.rules.${key} must be "off", "warn" or "error"`);
    else rules[name] = severity;
  }
  return rules;
}

function isObjectArray(value: unknown): value is object[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null);
}
