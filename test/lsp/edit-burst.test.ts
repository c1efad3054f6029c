/**
 * A burst of edits costs work and pushes in proportion to the bursts, not to the edits: edits that arrive
 * before an analysis starts are coalesced into it, and an analysis a newer edit made stale is not delivered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { messageText } from './diagnostic-message.js';
import { LspClient } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

const EDITS = 10_000;

describe('a burst of 10,000 edits', () => {
  let project: TempProject;
  let client: LspClient;
  const app = () => project.uri('src/app.ts');

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri, pull: false }));
    await client.open(app(), APP_TS);
    await client.waitFor('the first push', () => client.pushed.get(app())?.version === 1);
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('is analyzed and pushed a bounded number of times, ending with the final text', async () => {
    const pushesBefore = client.pushCount;
    const analysesBefore = client.statuses.length;
    const start = { line: 0, character: 0 };
    // Typing and deleting a space at the top of the file: every other version is the original text.
    for (let index = 0; index < EDITS; index++) {
      const edit = index % 2 === 0 ? { range: { start, end: start }, newText: ' ' } : { range: { start, end: { line: 0, character: 1 } }, newText: '' };
      void client.edit(app(), [edit]);
    }
    await client.replace(app(), 'res.send(report);', 'res.send(report);\n  fs.writeFileSync("b", "c");');
    const finalVersion = EDITS + 2;
    // Generous: before edits were coalesced, the burst queued minutes of work on a loaded machine.
    await client.waitFor('the push for the final text', () => client.pushed.get(app())?.version === finalVersion, 300_000);
    assert.deepEqual(
      client.pushed.get(app())!.diagnostics.map((diagnostic) => messageText(diagnostic).split(' ')[0]),
      ['fs.readFileSync', 'fs.writeFileSync'],
    );
    const pushes = client.pushCount - pushesBefore;
    const analyses = client.statuses.length - analysesBefore;
    // One push and one analysis per edit (or per two) before edits were coalesced; now one per burst the
    // server could read before its next analysis, which is at most a few per cent of the edits.
    assert.ok(pushes <= EDITS / 50, `${pushes} pushes for ${EDITS} edits`);
    assert.ok(analyses <= EDITS / 50, `${analyses} analyses for ${EDITS} edits`);
  });
});
