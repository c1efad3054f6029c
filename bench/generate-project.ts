/**
 * A generated TypeScript server project of a given size, the same every time: Express routers whose
 * handlers call helpers across files (some blocking, most async), services with methods, startup code
 * that reads configuration synchronously, and a CLI script. Used by the benchmarks (and the LSP's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GeneratedProject {
  dir: string;
  files: string[];
}

/** Files per group: a project of `size` files has size/4 routers, helpers, services and startup modules. */
function routerFile(index: number, groups: number): string {
  const helper = (offset: number): number => (index + offset) % groups;
  return `import express from 'express';
import { loadRecord${helper(0)} } from '../lib/helper-${helper(0)}.js';
import { saveRecord${helper(1)} as persist${index} } from '../lib/helper-${helper(1)}.js';
import { Service${helper(2)} } from '../services/service-${helper(2)}.js';

export const router${index} = express.Router();
const service = new Service${helper(2)}();

router${index}.get('/items-${index}/:id', async (req, res) => {
  const record = await loadRecord${helper(0)}(req.params.id);
  res.json({ record, total: service.count(String(req.query.kind ?? 'all')) });
});

router${index}.post('/items-${index}', (req, res) => {
  persist${index}(String(req.body?.id ?? 'new'), JSON.stringify({ at: Date.now() }));
  res.status(201).end();
});

router${index}.delete('/items-${index}/:id', async (req, res) => {
  await service.remove(req.params.id);
  res.status(204).end();
});
`;
}

function helperFile(index: number, groups: number): string {
  const next = (index + 1) % groups;
  const blocking = index % 3 === 0;
  return `import fs from 'node:fs';
import path from 'node:path';
import { format${next} } from './helper-${next}.js';

const root = process.env.DATA_DIR ?? '/var/lib/app';

export async function loadRecord${index}(id: string): Promise<string> {
  const file = path.join(root, 'records-${index}', \`\${path.basename(id)}.json\`);
  const text = await fs.promises.readFile(file, 'utf8');
  return format${next}(text);
}

export function saveRecord${index}(id: string, body: string): void {
  const file = path.join(root, 'records-${index}', \`\${path.basename(id)}.json\`);
  ${blocking ? 'fs.writeFileSync(file, body);' : 'void fs.promises.writeFile(file, body);'}
}

export function format${index}(text: string): string {
  const lines = text.split('\\n').map((line) => line.trim()).filter(Boolean);
  return lines.join('\\n');
}
`;
}

function serviceFile(index: number, groups: number): string {
  const helper = (index + 3) % groups;
  return `import fs from 'node:fs';
import { format${helper} } from '../lib/helper-${helper}.js';

export class Service${index} {
  private readonly counts = new Map<string, number>();

  count(kind: string): number {
    return this.counts.get(format${helper}(kind)) ?? 0;
  }

  async remove(id: string): Promise<void> {
    this.counts.delete(id);
    ${index % 4 === 0 ? 'fs.rmSync' : 'await fs.promises.rm'}(\`/tmp/service-${index}/\${id}\`, { force: true });
  }
}
`;
}

function startupFile(index: number): string {
  return `import fs from 'node:fs';

// Read once while the module loads: startup code, not a handler.
export const settings${index}: Record<string, unknown> = fs.existsSync('/etc/app-${index}.json')
  ? (JSON.parse(fs.readFileSync('/etc/app-${index}.json', 'utf8')) as Record<string, unknown>)
  : {};
`;
}

function appFile(groups: number): string {
  const imports = Array.from({ length: groups }, (_, index) => `import { router${index} } from './routes/router-${index}.js';`).join('\n');
  const uses = Array.from({ length: groups }, (_, index) => `app.use('/api', router${index});`).join('\n');
  return `import express from 'express';
${imports}

export const app = express();
app.use(express.json());
${uses}
`;
}

export function generateProject(dir: string, size: number): GeneratedProject {
  const groups = Math.max(1, Math.floor(size / 4));
  fs.rmSync(dir, { recursive: true, force: true });
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: `generated-${size}`, private: true, type: 'module' }, null, 2),
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src/**/*.ts', 'scripts/**/*.ts'],
      },
      null,
      2,
    ),
    'src/app.ts': appFile(groups),
    'scripts/seed.ts': "import fs from 'node:fs';\nfs.writeFileSync('/tmp/seed.json', '{}');\n",
  };
  for (let index = 0; index < groups; index++) {
    files[`src/routes/router-${index}.ts`] = routerFile(index, groups);
    files[`src/lib/helper-${index}.ts`] = helperFile(index, groups);
    files[`src/services/service-${index}.ts`] = serviceFile(index, groups);
    files[`src/startup/config-${index}.ts`] = startupFile(index);
  }
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return {
    dir,
    files: Object.keys(files)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(dir, name)),
  };
}
