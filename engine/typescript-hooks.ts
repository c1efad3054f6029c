/**
 * Module resolution hooks (node:module register) that send every `import ... from 'typescript'` to the
 * TypeScript that typescript-runtime.ts chose, when that is not the one Node would find.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let target: string | undefined;

export function initialize(data: { url: string }): void {
  target = data.url;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'typescript' && target) return { url: target, shortCircuit: true };
  return nextResolve(specifier, context);
}
