/**
 * The blockcheck ESLint plugin: type-aware rules that find blocking calls reachable from event-loop
 * handlers. `configs.recommended` turns them all on with type information for TS and JS files.
 */
// First: it stops the plugin with one clear line before TypeScript 7 could crash anything below.
import './utils/classic-typescript.js';
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { recommendedLevel, RULES, SOURCE_FILES_GLOB, type RuleName } from '../core/index.js';
import noBlockingClient from './no-blocking-client.js';
import noCpuLoop from './no-cpu-loop.js';
import noSyncIo from './no-sync-io.js';
import * as parser from './utils/parser.js';

const require = createRequire(import.meta.url);
const { name, version } = require('../../package.json') as { name: string; version: string };

const rules: Record<RuleName, TSESLint.RuleModule<string, unknown[]>> = {
  'no-sync-io': noSyncIo,
  'no-blocking-client': noBlockingClient,
  'no-cpu-loop': noCpuLoop,
};

type Plugin = TSESLint.FlatConfig.Plugin & { configs: { recommended: TSESLint.FlatConfig.Config } };

const plugin: Plugin = {
  meta: { name, version },
  rules,
  configs: {} as Plugin['configs'],
};

const recommendedRules: TSESLint.FlatConfig.Rules = Object.fromEntries(RULES.map((rule) => [`blockcheck/${rule.name}`, recommendedLevel(rule)]));

/**
 * Files a tsconfig includes get its program through typescript-eslint's project service; files no tsconfig
 * includes (most plain JavaScript) are parsed without one and analyzed in blockcheck's default program.
 */
plugin.configs.recommended = {
  name: 'blockcheck/recommended',
  files: [SOURCE_FILES_GLOB],
  plugins: { blockcheck: plugin },
  languageOptions: {
    parser,
    parserOptions: { projectService: true },
  },
  rules: recommendedRules,
};

export default plugin;
