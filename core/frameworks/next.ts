/** Next.js App Router: `export async function GET(request)` in `app/**\/route.ts` serves that folder's path. */
import * as path from 'node:path';
import ts from 'typescript';
import { isFunctionNode } from '../syntax-index.js';
import { everyParameter, type FrameworkModel } from './model.js';

const ROUTE_FILE = /(?:^|\/)route\.(?:[cm]?[jt]s|[jt]sx)$/;
const ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export const nextModel: FrameworkModel = {
  name: 'next',
  matchFile(sourceFile, context) {
    const fileName = sourceFile.fileName.replaceAll('\\', '/');
    if (!ROUTE_FILE.test(fileName)) return;
    const appIndex = fileName.lastIndexOf('/app/');
    if (appIndex < 0) return;
    // Route groups `(x)` and parallel slots `@x` are not part of the URL.
    const segments = path.posix
      .dirname(fileName.slice(appIndex + '/app/'.length))
      .split('/')
      .filter((segment) => segment !== '.' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
    const routePath = `/${segments.join('/')}`;
    for (const statement of sourceFile.statements) {
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      const candidates: Array<[ts.Identifier, ts.Node | undefined]> =
        ts.isFunctionDeclaration(statement) && statement.name
          ? [[statement.name, statement]]
          : ts.isVariableStatement(statement)
            ? statement.declarationList.declarations.flatMap((declaration) =>
                ts.isIdentifier(declaration.name) ? [[declaration.name, declaration.initializer] as [ts.Identifier, ts.Node | undefined]] : [],
              )
            : [];
      for (const [name, value] of candidates) {
        const fn = value && isFunctionNode(value) ? value : undefined;
        if (!fn || !ROUTE_EXPORTS.has(name.text)) continue;
        context.addRoot(fn, {
          kind: 'next-route',
          label: `${name.text} ${routePath}`,
          method: name.text,
          routePath,
          site: name,
          requestParameters: everyParameter,
        });
      }
    }
  },
};
