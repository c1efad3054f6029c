/** Where blockcheck is installed and what it is called; read once from its own package.json. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: dist/cli/package-info.js lives two levels below it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  homepage?: string;
};

export const TOOL_NAME = manifest.name;
export const TOOL_VERSION = manifest.version;
export const TOOL_URL = manifest.homepage ?? 'https://www.npmjs.com/package/blockcheck';
