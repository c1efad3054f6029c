import { ESLintUtils } from '@typescript-eslint/utils';
import { ruleDocsUrl, type RuleName } from '../../core/index.js';

export interface BlockcheckPluginDocs {
  description: string;
  recommended: boolean;
  requiresTypeChecking: boolean;
}

export const createRule = ESLintUtils.RuleCreator<BlockcheckPluginDocs>((name) => ruleDocsUrl(name as RuleName));
