import assert from 'node:assert/strict';
import { messageText } from './diagnostic-message.js';
import { after, before, describe, it } from 'node:test';
import { DocumentDiagnosticReportKind, HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { LARGE_FILE_CHARS } from '../../lsp/server/sources.js';
import { LspClient } from './lsp-client.js';
import { APP_TS, expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

/** A generated route file just over the large-file limit, whose last route reads a file synchronously. */
function largeRouteFile(): string {
  const routes: string[] = [];
  let length = 0;
  for (let index = 0; length <= LARGE_FILE_CHARS; index++) {
    const route = `app.get('/r${index}', (req, res) => {\n  const a = ${index};\n  res.send(String(a));\n});\n`;
    routes.push(route);
    length += route.length;
  }
  return `import express from 'express';\nimport fs from 'node:fs';\nconst app = express();\n${routes.join('')}app.get('/last', (req, res) => { res.send(fs.readFileSync('x')); });\n`;
}

describe('a large file', () => {
  let project: TempProject;
  let client: LspClient;

  before(async () => {
    project = new TempProject(expressProject());
    ({ client } = await LspClient.start({ rootUri: project.rootUri }));
    await client.open(project.uri('src/app.ts'), APP_TS);
    await client.pull(project.uri('src/app.ts'));
  });
  after(() => {
    client.kill();
    project.remove();
  });

  it('is analyzed off the request path: hovers on another file are answered while it is analyzed', async () => {
    const large = largeRouteFile();
    const line = APP_TS.split('\n').findIndex((text) => text.includes('fs.readFileSync'));
    const position = { line, character: APP_TS.split('\n')[line]!.indexOf('readFileSync') + 1 };
    const hover = () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: project.uri('src/app.ts') }, position });
    await client.open(project.uri('src/generated.ts'), large);
    let published = false;
    const diagnostics = client.pull(project.uri('src/generated.ts')).then((report) => {
      published = true;
      return report;
    });
    // One hover after another until the large file's diagnostics arrive. Analyzed on the thread that answers
    // requests, at most the first hover could get in before the analysis started, and none during it.
    let answeredBefore = 0;
    // The flag is set by the diagnostics' callback while each hover is awaited.
    const isPublished = (): boolean => published;
    while (!isPublished()) {
      const hovered: Hover | null = await hover();
      assert.match((hovered?.contents as MarkupContent | undefined)?.value ?? '', /readFileSync blocks the event loop/);
      if (!isPublished()) answeredBefore++;
    }
    assert.ok(answeredBefore >= 3, `${answeredBefore} hover(s) answered before the large file's diagnostics`);
    const report = await diagnostics;
    const lines = large.split('\n');
    assert.deepEqual(
      report.kind === DocumentDiagnosticReportKind.Full ? report.items.map((item) => [item.range.start.line, messageText(item).split(' ')[0]]) : [],
      [[lines.length - 2, 'fs.readFileSync']],
    );
  });
});
