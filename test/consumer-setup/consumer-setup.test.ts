import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The packages as users get them: `npm pack` the tarballs, install them into a fresh project, and run it as
 * CommonJS and as ESM, with the same classes compiled with legacy and with standard decorators.
 */
const ROOT = join(__dirname, '..', '..');
const HERE = __dirname;
const PACKAGES = ['core', 'redact', 'express'];

function compile(file: string, out: string, module: ts.ModuleKind, experimentalDecorators: boolean): void {
  const { outputText } = ts.transpileModule(readFileSync(join(HERE, file), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module, experimentalDecorators, emitDecoratorMetadata: false },
  });
  writeFileSync(out, outputText);
}

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('installing the packed packages into a new project', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'pk-consumer-'));
    const tarballs = PACKAGES.map((name) => {
      const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: join(ROOT, 'packages', name), encoding: 'utf8' });
      return output.trim().split('\n').pop() as string;
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({
      name: 'consumer', private: true, version: '1.0.0',
      dependencies: {
        ...Object.fromEntries(PACKAGES.map((name, i) => [`@privacy-kit/${name}`, `file:./${tarballs[i]}`])),
        express: versionOf('express'),
        jsonwebtoken: versionOf('jsonwebtoken'),
      },
    }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
    copyFileSync(join(HERE, 'memory-store.cjs'), join(project, 'memory-store.cjs'));
    copyFileSync(join(HERE, 'main.cjs.txt'), join(project, 'main.cjs'));
    copyFileSync(join(HERE, 'main.mjs.txt'), join(project, 'main.mjs'));
  }, 240_000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it.each(PACKAGES)('ships @privacy-kit/%s as compiled code without its sources or tests', (name) => {
    const installed = readdirSync(join(project, 'node_modules', '@privacy-kit', name));
    expect(installed).toEqual(expect.arrayContaining(['dist', 'package.json']));
    expect(installed).not.toEqual(expect.arrayContaining(['src']));
    expect(installed).not.toEqual(expect.arrayContaining(['test']));
  });

  it.each([true, false])('runs as CommonJS with an enforcing Express app (legacy decorators: %s)', (legacy) => {
    compile('models.ts', join(project, 'models.cjs'), ts.ModuleKind.CommonJS, legacy);
    const result = JSON.parse(execFileSync('node', ['main.cjs'], { cwd: project, encoding: 'utf8' })) as Record<string, unknown>;
    expect(result).toEqual({ fields: ['email', 'name'], basis: 'consent', me: 200, recs: 403 });
  });

  it.each([true, false])('runs as ESM with named imports (legacy decorators: %s)', (legacy) => {
    compile('models.ts', join(project, 'models.mjs'), ts.ModuleKind.ES2022, legacy);
    const result = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: project, encoding: 'utf8' })) as Record<string, unknown>;
    expect(result).toEqual({ fields: ['email', 'name'], basis: 'consent', known: true, exports: ['function', 'function'] });
  });

  it('refuses deep imports of package internals', () => {
    const probe = "try { require('@privacy-kit/core/dist/metadata/registry'); console.log('allowed'); } catch (e) { console.log(e.code); }";
    expect(execFileSync('node', ['-e', probe], { cwd: project, encoding: 'utf8' }).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
