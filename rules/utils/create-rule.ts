import { ESLintUtils } from '@typescript-eslint/utils';

export const DOCS_BASE_URL = 'https://github.com/blockcheck/blockcheck/blob/main/rules/docs/';

export interface BlockcheckPluginDocs {
  description: string;
  recommended: boolean;
  requiresTypeChecking: boolean;
}

export const createRule = ESLintUtils.RuleCreator<BlockcheckPluginDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
