/**
 * Each program of a split audit is released before the next is built: what bounds the memory of a large
 * tree. A file of its own: audits earlier in the same process left files reachable from later ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type ts from 'typescript';
import { collectGarbage } from '../../cli/collect-garbage.js';
import { RECOMMENDED_SOURCE, type RuleSettingsSource } from '../../engine/eslint-config.js';
import { audit, sharedHosts } from './split-fixture.js';

test('each program of a split audit is released before the next is built', async () => {
  // The source files each program parsed (not the shared declaration files), weakly.
  const parsedBy: Array<Array<WeakRef<ts.SourceFile>>> = [];
  const hostFor = (options: ts.CompilerOptions) => {
    const host = sharedHosts(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (...args) => {
      const sourceFile = getSourceFile(...args);
      if (sourceFile && !sourceFile.isDeclarationFile) parsedBy.at(-1)!.push(new WeakRef(sourceFile));
      return sourceFile;
    };
    return host;
  };
  // Waiting a turn of the event loop per file lets the collector drop what this job's WeakRefs kept alive.
  const settings: RuleSettingsSource = { ...RECOMMENDED_SOURCE, settingsFor: async (fileName) => (await nextTurn(), RECOMMENDED_SOURCE.settingsFor(fileName)) };
  const aliveWhenNextStarts: number[] = [];
  await audit(
    1,
    (label) => {
      if (!label.startsWith('parsing')) return;
      if (parsedBy.length > 0) {
        collectGarbage();
        aliveWhenNextStarts.push(parsedBy.at(-1)!.filter((ref) => ref.deref() !== undefined).length);
      }
      parsedBy.push([]);
    },
    settings,
    hostFor,
  );
  assert.equal(parsedBy.length, 2);
  assert.ok(parsedBy[0]!.length >= 3, 'the first program parsed its three files');
  assert.deepEqual(aliveWhenNextStarts, [0]);
});
