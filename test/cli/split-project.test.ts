/**
 * A project over the source budget is audited as several programs, one after another (`splitProject`): the
 * same findings and handlers as one program, and the chains across files and folders kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitProject } from '../../cli/split-project.js';
import { toTsPath } from '../../engine/paths.js';
import { audit, FILES, root } from './split-fixture.js';

test('a project within the budget is one program', () => {
  const spec = {
    configFile: undefined,
    rootNames: Object.keys(FILES)
      .filter((file) => file.endsWith('.js'))
      .map((file) => toTsPath(`${root}/${file}`)),
    options: {},
    projectReferences: undefined,
  };
  assert.deepEqual(splitProject(spec), [spec]);
});

test('over the budget, the import groups become programs of their own, keeping the chains across folders', () => {
  const spec = {
    configFile: undefined,
    rootNames: ['api/server.js', 'jobs/worker.js', 'lib/load.js', 'lib/read.js'].map((file) => toTsPath(`${root}/${file}`)),
    options: {},
    projectReferences: undefined,
  };
  const parts = splitProject(spec, 1).map((part) => part.rootNames.map((file) => file.slice(toTsPath(root).length + 1)));
  assert.deepEqual(parts, [['api/server.js', 'lib/load.js', 'lib/read.js'], ['jobs/worker.js']]);
});

test('a split audit reports what one program reports', async () => {
  const whole = await audit(undefined);
  const split = await audit(1);
  assert.deepEqual(
    split.phases.filter((label) => label.startsWith('parsing')),
    ['parsing files without a tsconfig part 1/2 (1/2)', 'parsing files without a tsconfig part 2/2 (2/2)'],
  );
  assert.equal(whole.phases.filter((label) => label.startsWith('parsing')).length, 1);
  assert.deepEqual(split.findings, whole.findings);
  assert.deepEqual(split.handlers, whole.handlers);
  assert.ok(
    split.findings.some((finding) => finding.startsWith('lib/read.js:2 fs.readFileSync <- api/server.js:3 > lib/load.js:2 > lib/read.js:2')),
    split.findings.join('\n'),
  );
});
