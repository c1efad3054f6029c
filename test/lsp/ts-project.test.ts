import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import ts from 'typescript';
import { ProjectRegistry } from '../../lsp/server/project-registry.js';
import { SourceStore } from '../../lsp/server/sources.js';
import { toTsPath } from '../../engine/paths.js';
import { expressProject } from './projects.js';
import { TempProject } from './temp-project.js';

describe('the LanguageService host', () => {
  const project = new TempProject(expressProject());
  after(() => project.remove());

  /** A store and a registry over the project, as the language server starts them. */
  function serve(): { sources: SourceStore; registry: ProjectRegistry } {
    const sources = new SourceStore();
    const registry = new ProjectRegistry(sources);
    registry.setWorkspaceFolders([project.root]);
    return { sources, registry };
  }

  it('re-parses only the edited buffer: every other file keeps its parsed SourceFile', () => {
    const { sources, registry } = serve();
    const app = toTsPath(project.path('src/app.ts'));
    const helper = toTsPath(project.path('src/helper.ts'));
    sources.setBuffer(app, project.read('src/app.ts'));
    const tsProject = registry.projectFor(app);
    assert.equal(tsProject.kind, 'configured');

    const before = tsProject.program();
    assert.equal(tsProject.program(), before, 'no change, same program');
    sources.setBuffer(app, `${project.read('src/app.ts')}\n// edited\n`);
    const after = tsProject.program();
    assert.notEqual(after, before);
    assert.notEqual(after.getSourceFile(app), before.getSourceFile(app));
    assert.match(after.getSourceFile(app)!.text, /\/\/ edited/);
    assert.equal(after.getSourceFile(helper), before.getSourceFile(helper));
    const lib = before.getSourceFiles().find((file) => file.fileName.includes('@types/node'));
    assert.ok(lib);
    assert.equal(after.getSourceFile(lib.fileName), lib);
    registry.dispose();
  });

  it('sees a file changed on disk once told, and an open buffer over the disk', () => {
    const { sources, registry } = serve();
    const helper = toTsPath(project.path('src/helper.ts'));
    const tsProject = registry.projectFor(helper);
    assert.doesNotMatch(tsProject.program().getSourceFile(helper)!.text, /changed on disk/);
    project.write('src/helper.ts', `${project.read('src/helper.ts')}// changed on disk\n`);
    sources.diskChanged(helper);
    assert.match(tsProject.program().getSourceFile(helper)!.text, /changed on disk/);
    sources.setBuffer(helper, 'export const buffered = 1;\n');
    assert.equal(tsProject.program().getSourceFile(helper)!.text, 'export const buffered = 1;\n');
    sources.closeBuffer(helper);
    assert.match(tsProject.program().getSourceFile(helper)!.text, /changed on disk/);
    registry.dispose();
  });

  it('finds a package installed without a watcher event once the file importing it is edited', () => {
    const { sources, registry } = serve();
    const app = toTsPath(project.path('src/app.ts'));
    const importer = `import { pad } from 'late-package';\nexport const padded = pad('x');\n`;
    sources.setBuffer(app, importer);
    const tsProject = registry.projectFor(app);
    const declarations = toTsPath(project.path('src/node_modules/late-package/index.d.ts'));
    // The import resolves when the program takes in the package's declarations.
    const resolved = (): boolean => tsProject.program().getSourceFile(declarations) !== undefined;
    try {
      assert.equal(resolved(), false);
      // An install: nothing tells the server (editors do not watch node_modules).
      project.write('src/node_modules/late-package/package.json', JSON.stringify({ name: 'late-package', type: 'module', types: 'index.d.ts' }));
      project.write('src/node_modules/late-package/index.d.ts', 'export declare function pad(text: string): string;\n');
      sources.setBuffer(app, `${importer}// edited\n`);
      assert.equal(resolved(), true);
    } finally {
      fs.rmSync(project.path('src/node_modules'), { recursive: true, force: true });
      registry.dispose();
    }
  });

  it('reads a changed package.json once told: the module format of unchanged files follows its "type"', () => {
    const { sources, registry } = serve();
    const app = toTsPath(project.path('src/app.ts'));
    const helper = toTsPath(project.path('src/helper.ts'));
    sources.setBuffer(app, project.read('src/app.ts'));
    const tsProject = registry.projectFor(helper);
    const formatOf = (fileName: string): ts.ResolutionMode => tsProject.program().getSourceFile(fileName)!.impliedNodeFormat;
    assert.equal(formatOf(helper), ts.ModuleKind.ESNext);

    const packageJson = project.read('package.json');
    try {
      project.write('package.json', JSON.stringify({ ...JSON.parse(packageJson), type: 'commonjs' }));
      // What the language server does when the watcher reports it; no source file changed.
      sources.layoutChanged();
      assert.equal(formatOf(helper), ts.ModuleKind.CommonJS);
    } finally {
      project.write('package.json', packageJson);
      registry.dispose();
    }
  });
});
