/**
 * Which blockcheck rules run on a file, at what severity and with which options: the project's ESLint config
 * when it configures the blockcheck rules (read by the CLI's reader), otherwise the recommended config; then the
 * workspace folder's `blockcheck.rules` severities and extra catalog entries / handler registrars on top.
 * Loading an ESLint config runs the workspace's code, so it happens only once the client says the user
 * consented; until then the recommended config applies, and the log says so once.
 */
import { RULE_NAMES } from '../../core/index.js';
import {
  RECOMMENDED,
  describeConfigError,
  loadRuleSettings,
  type RuleSetting,
  type RuleSettings,
  type RuleSettingsSource,
} from '../../engine/eslint-config.js';
import type { AnalysisOptions, RuleName } from '../../core/types.js';
import { guarded } from './exit-guard.js';
import type { Settings } from './settings.js';

export class RuleConfigs {
  private readonly sources = new Map<string, Promise<RuleSettingsSource>>();
  /** Per file: asking ESLint on every keystroke would cost more than the analysis of the edit. */
  private readonly perFile = new Map<string, Promise<RuleSettings>>();
  private readonly warned = new Set<string>();
  private toldNotLoaded = false;

  constructor(
    private readonly loadEslintConfig: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** `cwd` is the workspace folder (where ESLint looks for the config). */
  async forFile(fileName: string, cwd: string, settings: Settings): Promise<RuleSettings> {
    let eslintSettings = this.perFile.get(fileName);
    if (!eslintSettings) {
      eslintSettings = this.eslintSettings(fileName, cwd);
      this.perFile.set(fileName, eslintSettings);
    }
    const fromEslint = await eslintSettings;
    const effective = {} as Record<RuleName, RuleSetting | undefined>;
    for (const rule of RULE_NAMES) {
      const configured = fromEslint[rule];
      const override = settings.rules[rule];
      const severity: RuleSetting['severity'] | undefined =
        override === undefined ? configured?.severity : override === 'off' ? undefined : override === 'warn' ? 'warning' : 'error';
      effective[rule] = severity ? { severity, options: withSettings(configured?.options ?? {}, settings) } : undefined;
    }
    return effective;
  }

  /** The ESLint config or the settings changed: read everything again on next use. */
  invalidate(): void {
    this.sources.clear();
    this.perFile.clear();
    this.warned.clear();
  }

  private async eslintSettings(fileName: string, cwd: string): Promise<RuleSettings> {
    if (!this.loadEslintConfig) {
      if (!this.toldNotLoaded) {
        this.toldNotLoaded = true;
        this.warn(
          "blockcheck: the workspace's ESLint config is not loaded, because loading it runs the workspace's code; " +
            'using the recommended rule settings (and the blockcheck.rules settings). To use it, trust the workspace ' +
            'and allow blockcheck to run its code (VS Code), or start the server with initializationOptions { "loadEslintConfig": true }.',
        );
      }
      return RECOMMENDED;
    }
    let source = this.sources.get(cwd);
    if (!source) {
      source = guarded(`loading ESLint for ${cwd}`, () => loadRuleSettings(cwd));
      this.sources.set(cwd, source);
    }
    try {
      const reader = await source;
      const settings = await guarded(`reading the ESLint config for ${fileName}`, () => reader.settingsFor(fileName));
      if (reader.warning) this.warnOnce(reader.warning);
      if (reader.configError) this.warnOnce(`${describeConfigError(reader.configError, cwd)}; using the recommended rule settings until it is fixed`);
      return settings;
    } catch (error) {
      this.warnOnce(`could not read the ESLint config (${firstLine(error)}); using the recommended rule settings`);
      return RECOMMENDED;
    }
  }

  private warnOnce(warning: string): void {
    if (this.warned.has(warning)) return;
    this.warned.add(warning);
    this.warn(`blockcheck: ${warning}`);
  }
}

function withSettings(options: AnalysisOptions, settings: Settings): AnalysisOptions {
  const merged: AnalysisOptions = { ...options };
  if (settings.additionalApis.length > 0) merged.additionalApis = [...(options.additionalApis ?? []), ...settings.additionalApis];
  if (settings.handlerRegistrars.length > 0) {
    merged.handlerRegistrars = [...(options.handlerRegistrars ?? []), ...settings.handlerRegistrars];
  }
  return merged;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
