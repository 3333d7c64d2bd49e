import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The packages as users get them: `npm pack` the tarballs, install them into a fresh project, and run it as
 * CommonJS and as ESM, with the same classes compiled with legacy and with standard decorators; and the umbrella
 * package `privacy-kit` (with every scoped package it depends on) running the README's three-line app.
 */
const ROOT = join(__dirname, '..', '..');
const HERE = __dirname;
/** The scoped packages, by folder; the first three are also run on their own. */
const PACKAGES = ['core', 'redact', 'express'];
const UMBRELLA_DEPENDENCIES = ['winston', 'sqlite', 'cli'];

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
    const pack = (folder: string): string => {
      const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: join(ROOT, 'packages', folder), encoding: 'utf8' });
      return output.trim().split('\n').pop() as string;
    };
    const scoped = [...PACKAGES, ...UMBRELLA_DEPENDENCIES];
    const tarballs = scoped.map(pack);
    writeFileSync(join(project, 'package.json'), JSON.stringify({
      name: 'consumer', private: true, version: '1.0.0',
      dependencies: {
        ...Object.fromEntries(scoped.map((name, i) => [`@privacy-kit/${name}`, `file:./${tarballs[i]}`])),
        'privacy-kit': `file:./${pack('privacy-kit')}`,
        'better-sqlite3': versionOf('better-sqlite3'),
        express: versionOf('express'),
        jsonwebtoken: versionOf('jsonwebtoken'),
        winston: versionOf('winston'),
      },
    }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
    // Install scripts are off (no network, no compiler): better-sqlite3's native module is the one this repository
    // built, for the same version on the same machine, instead of a ~80 s build from source.
    const release = join('node_modules', 'better-sqlite3', 'build', 'Release');
    mkdirSync(join(project, release), { recursive: true });
    copyFileSync(join(ROOT, release, 'better_sqlite3.node'), join(project, release, 'better_sqlite3.node'));
    copyFileSync(join(HERE, 'memory-store.cjs'), join(project, 'memory-store.cjs'));
    copyFileSync(join(HERE, 'main.cjs.txt'), join(project, 'main.cjs'));
    copyFileSync(join(HERE, 'main.mjs.txt'), join(project, 'main.mjs'));
    copyFileSync(join(HERE, 'three-lines.cjs.txt'), join(project, 'three-lines.cjs'));
    copyFileSync(join(HERE, 'three-lines.mjs.txt'), join(project, 'three-lines.mjs'));
  }, 240_000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  // The TypeScript sources ship since issue 13: the source maps (and declaration maps) name them, so that stack
  // traces and "go to definition" lead to files the user has. Tests still stay out.
  it.each(PACKAGES)('ships @privacy-kit/%s as compiled code with the sources its maps name, without its tests', (name) => {
    const installed = readdirSync(join(project, 'node_modules', '@privacy-kit', name));
    expect(installed).toEqual(expect.arrayContaining(['dist', 'src', 'package.json']));
    expect(installed).not.toEqual(expect.arrayContaining(['test']));
  });

  it('points stack traces at TypeScript files the installed package has (node --enable-source-maps)', () => {
    const probe = "try { require('@privacy-kit/core').parseRetention('soon', 'probe'); } catch (e) { console.log(e.stack); }";
    const stack = execFileSync('node', ['--enable-source-maps', '-e', probe], { cwd: project, encoding: 'utf8' });
    const frames = [...stack.matchAll(/\((\/[^\s()]*node_modules\/@privacy-kit\/[^\s()]+\.ts):\d+:\d+\)/g)].map((m) => m[1] as string);
    // The error is made by core's error factory, called from the retention parser: both frames name shipped sources.
    expect(frames).toEqual(expect.arrayContaining([expect.stringMatching(/node_modules\/@privacy-kit\/core\/src\/retention\/retention\.ts$/)]));
    expect(frames.every((file) => /node_modules\/@privacy-kit\/core\/src\//.test(file))).toBe(true);
    expect(frames.filter((file) => !existsSync(file))).toEqual([]);
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

  it('ships privacy-kit as compiled code with its launcher and the sources its maps name, without its tests', () => {
    const installed = readdirSync(join(project, 'node_modules', 'privacy-kit'));
    expect(installed).toEqual(expect.arrayContaining(['bin', 'dist', 'src', 'package.json']));
    expect(installed).not.toEqual(expect.arrayContaining(['test']));
  });

  it('runs the README’s three-line app from privacy-kit: 401 without req.user, 200 for staff, both audited in PRIVACY_KIT_DB', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PRIVACY_KIT_DB: join(project, 'three-lines.db') };
    delete env.PRIVACY_KIT_SECRET;
    delete env.NODE_ENV;
    const run = spawnSync('node', ['three-lines.cjs'], { cwd: project, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { anonymous: number; staff: number; records: string[] };
    expect(result).toEqual({ anonymous: 401, staff: 200, records: ['denied:401', 'access:', 'outcome:200'] });
    // No secret was configured: one was made next to the database, readable only by the owner, and the app was told.
    expect(statSync(join(project, '.privacy-kit-secret')).mode & 0o777).toBe(0o600);
    expect(run.stderr).toContain(`PK_SECRET_MISSING: privacy-kit: privacy(): PRIVACY_KIT_SECRET is not set, so a new secret was made in ${join(project, '.privacy-kit-secret')}`);
  });

  it('gives ESM code named imports of privacy-kit', () => {
    expect(JSON.parse(execFileSync('node', ['three-lines.mjs'], { cwd: project, encoding: 'utf8' }))).toEqual(['function', 'function', 'function', 'function', 'function', 'function']);
  });

  it('links the privacy-kit command', () => {
    const help = execFileSync(join(project, 'node_modules', '.bin', 'privacy-kit'), ['--help'], { cwd: project, encoding: 'utf8' });
    expect(help).toMatch(/Usage: privacy-kit/);
  });

  it('refuses deep imports of package internals', () => {
    const probe = "try { require('@privacy-kit/core/dist/metadata/registry'); console.log('allowed'); } catch (e) { console.log(e.code); }";
    expect(execFileSync('node', ['-e', probe], { cwd: project, encoding: 'utf8' }).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
