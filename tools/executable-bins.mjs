// tsc writes new files without the executable bit; the package's bins need it to run from a fresh clone
// (`npx blockcheck`), where npm linked them before `prepare` built them.
import * as fs from 'node:fs';

const { bin } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const target of Object.values(bin)) fs.chmodSync(new URL(`../${target}`, import.meta.url), 0o755);
