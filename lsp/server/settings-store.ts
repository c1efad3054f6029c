/**
 * Settings per workspace folder, fetched with `workspace/configuration` scoped to the folder and cached until
 * the client says they changed. Files outside every folder, and clients that cannot answer, get the defaults.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings.js';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(
    private readonly connection: Connection,
    private readonly clientAnswers: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** `folderUri` is the workspace folder holding the file, or undefined outside every folder. */
  forFolder(folderUri: string | undefined): Promise<Settings> {
    if (!folderUri || !this.clientAnswers) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(folderUri);
    if (!settings) {
      settings = this.fetch(folderUri);
      this.cache.set(folderUri, settings);
    }
    return settings;
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async fetch(folderUri: string): Promise<Settings> {
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'blockcheck' });
      return parseSettings(raw, (problem) => this.warn(`${problem} (folder ${folderUri})`));
    } catch (error) {
      this.warn(`blockcheck: could not read the settings of ${folderUri} (${error instanceof Error ? error.message : String(error)}); using the defaults`);
      return DEFAULT_SETTINGS;
    }
  }
}
