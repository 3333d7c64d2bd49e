import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// The block eslint.config.mjs uses for cycles, run here on small projects written for each test.
const { noCycleConfig } = require('../../lint/privacy-kit.plugin.cjs') as { noCycleConfig(tsconfig: string): Linter.Config };

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pk-no-cycle-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs' }, include: ['*.ts'] }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files, lints them with the cycle rule, and returns `file:line` of each cycle reported. */
async function cyclesIn(files: Record<string, string>): Promise<string[]> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, noCycleConfig(join(dir, 'tsconfig.json'))],
  });
  const results = await eslint.lintFiles(Object.keys(files));
  return results
    .flatMap((r) => r.messages.map((m) => ({ file: r.filePath.slice(dir.length + 1), m })))
    .map(({ file, m }) => {
      if (m.ruleId !== 'privacy-kit/no-cycle') throw new Error(`unexpected finding in ${file}: ${m.ruleId ?? ''} ${m.message}`);
      return `${file}:${m.line}`;
    })
    .sort();
}

describe('privacy-kit/no-cycle', () => {
  it('reports a cycle of value imports in every module on it', async () => {
    expect(await cyclesIn({
      'a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
      'b.ts': "import { c } from './c';\nexport const b = (): number => c();\n",
      'c.ts': "import { a } from './a';\nexport const c = (): number => (typeof a === 'function' ? 1 : 0);\n",
    })).toEqual(['a.ts:1', 'b.ts:1', 'c.ts:1']);
  });

  it('reports a cycle made only of `import type`, which import-x alone lets pass', async () => {
    expect(await cyclesIn({
      'engine.ts': "import type { Feature } from './feature';\nexport interface Engine { features: Feature[] }\n",
      'feature.ts': "import type { Engine } from './engine';\nexport interface Feature { engine: Engine }\n",
    })).toEqual(['engine.ts:1', 'feature.ts:1']);
  });

  it('reports a cycle closed by an inline type specifier and a type re-export', async () => {
    expect(await cyclesIn({
      'kit.ts': "import { type Holder } from './holder';\nexport interface Kit { holder?: Holder }\n",
      'holder.ts': "export type { Kit } from './kit';\nexport interface Holder { id: string }\n",
    })).toEqual(['holder.ts:1', 'kit.ts:1']);
  });

  it('accepts imports that point one way, type imports included', async () => {
    expect(await cyclesIn({
      'leaf.ts': 'export interface Leaf { id: string }\n',
      'middle.ts': "import type { Leaf } from './leaf';\nexport const middle = (leaf: Leaf): string => leaf.id;\n",
      'top.ts': "import type { Leaf } from './leaf';\nimport { middle } from './middle';\nexport const top = (leaf: Leaf): string => middle(leaf);\n",
    })).toEqual([]);
  });
});
