/**
 * Whether a script URL (as V8 reports it in stacks, profiles and coverage) is the app's own code: not
 * Node's internals, not a dependency, not our runtime.
 */
export function isAppUrl(url: string, ownDir: string): boolean {
  if (!url || url.startsWith('node:') || !(url.startsWith('file://') || url.startsWith('/'))) return false;
  return !url.includes('/node_modules/') && !url.includes(ownDir);
}
