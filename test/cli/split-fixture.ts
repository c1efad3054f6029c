/** The project the split-audit tests audit, and an in-process audit of it at a given source budget. */
import { after } from 'node:test';
import { runAudit } from '../../cli/audit.js';
import { createSharedHostFactory } from '../../cli/project.js';
import { RECOMMENDED_SOURCE, type RuleSettingsSource } from '../../engine/eslint-config.js';
import { makeProject, removeProject } from './helpers.js';

export const FILES = {
  'package.json': '{"name":"split"}',
  // A handler whose blocking call is two files away, in another folder.
  'api/server.js': [
    "const http = require('http');",
    "const { load } = require('../lib/load.js');",
    'http.createServer((req, res) => res.end(load(req.url))).listen(3000);',
  ].join('\n'),
  'lib/load.js': ["const { read } = require('./read.js');", 'exports.load = (name) => read(name);'].join('\n'),
  'lib/read.js': ["const fs = require('fs');", "exports.read = (name) => fs.readFileSync('/data/' + name, 'utf8');"].join('\n'),
  // Another server that imports nothing of the first: a program of its own once split.
  'jobs/worker.js': [
    "const http = require('http');",
    "const crypto = require('crypto');",
    "http.createServer((req, res) => res.end(crypto.pbkdf2Sync('x', 'y', 1e5, 64, 'sha512'))).listen(3001);",
  ].join('\n'),
};

export const root = makeProject(FILES);
after(() => removeProject(root));
export const sharedHosts = createSharedHostFactory();

export interface AuditRun {
  phases: string[];
  findings: string[];
  handlers: string[];
}

export async function audit(
  programSourceBudget: number | undefined,
  onPhase: (label: string) => void = () => {},
  settings: RuleSettingsSource = RECOMMENDED_SOURCE,
  hostFor = sharedHosts,
) {
  const phases: string[] = [];
  const { report } = await runAudit({
    cwd: root,
    paths: [root],
    projects: [],
    ignorePatterns: [],
    settings,
    errorsOnly: false,
    targetRps: undefined,
    strict: false,
    progress: {
      phase(label) {
        phases.push(label);
        onPhase(label);
      },
      tick() {},
      done() {},
    },
    hostFor,
    ...(programSourceBudget === undefined ? {} : { programSourceBudget }),
  });
  const run: AuditRun = {
    phases,
    findings: report.findings.map(
      (finding) =>
        `${finding.file}:${finding.line} ${finding.call} <- ${finding.handlers.map((handler) => handler.chain.map((step) => `${step.file}:${step.line}`).join(' > ')).join(', ')}`,
    ),
    handlers: report.handlers.map((handler) => `${handler.file}:${handler.line} ${handler.label}`),
  };
  return run;
}
