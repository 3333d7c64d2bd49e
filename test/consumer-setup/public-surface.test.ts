import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The public surface of every package: each entry point its package.json `exports` opens (`@privacy-kit/core`,
 * `@privacy-kit/core/testing`, ...), with every name it exports, values and types (`type Name`), as the TypeScript
 * checker sees the source door. A change to a door shows up here and in review, as a change of
 * public-surface.json. After an intended change: `npm run surface:update` rewrites the list.
 */
const ROOT = join(__dirname, '..', '..');
const SURFACE_FILE = join(__dirname, 'public-surface.json');
const UPDATE = process.env.UPDATE_PUBLIC_SURFACE === '1';

type Surface = Record<string, string[]>;

interface PackageJson {
  readonly name: string;
  readonly exports?: Record<string, string | { readonly default?: string; readonly types?: string }>;
}

/** Each module entry point (`name` or `name/subpath`) and the source file behind it (dist/x.js -> src/x.ts). */
function entryPoints(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of readdirSync(join(ROOT, 'packages')).sort()) {
    const manifest = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    for (const [subpath, target] of Object.entries(pkg.exports ?? { '.': './dist/index.js' })) {
      const file = typeof target === 'string' ? target : target.default;
      const built = file === undefined ? null : /^\.\/dist\/(.+)\.js$/.exec(file);
      if (built === null) continue; // package.json, JSON schemas: files, not modules
      entries.set(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, join(ROOT, 'packages', dir, 'src', `${built[1]}.ts`));
    }
  }
  return entries;
}

function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
}

/** Alphabetical, ignoring case and the `type ` mark, the same on every machine (no locale). */
function byName(a: string, b: string): number {
  const key = (n: string): [string, string] => [n.replace(/^type /, '').toLowerCase(), n];
  const [ka, kb] = [key(a), key(b)];
  return ka[0] < kb[0] ? -1 : ka[0] > kb[0] ? 1 : ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0;
}

/** The names each entry point exports, sorted; types as `type Name`. */
function currentSurface(): Surface {
  const entries = entryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  const program = ts.createProgram([...entries.values()], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const surface: Surface = {};
  for (const [name, file] of entries) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${name}: no module at ${file}`);
    surface[name] = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const value = !isTypeOnlyExport(symbol) && (target.flags & ts.SymbolFlags.Value) !== 0;
        return value ? symbol.name : `type ${symbol.name}`;
      })
      .sort(byName);
  }
  return surface;
}

const current = currentSurface();
if (UPDATE) writeFileSync(SURFACE_FILE, `${JSON.stringify(current, null, 2)}\n`);
const reviewed = JSON.parse(readFileSync(SURFACE_FILE, 'utf8')) as Surface;

/** What changed, in words a reviewer can act on. */
function difference(name: string): string {
  const now = current[name] ?? [];
  const before = reviewed[name] ?? [];
  const added = now.filter((n) => !before.includes(n));
  const removed = before.filter((n) => !now.includes(n));
  return (
    `the public surface of ${name} changed: added ${added.length === 0 ? 'nothing' : added.join(', ')}; ` +
    `removed ${removed.length === 0 ? 'nothing' : removed.join(', ')}. ` +
    'If intended, update test/consumer-setup/public-surface.json (npm run surface:update) and review the diff.'
  );
}

describe('the public surface of each package', () => {
  it('has a reviewed list for exactly the entry points the packages open', () => {
    expect(Object.keys(reviewed).sort()).toEqual(Object.keys(current).sort());
  });

  it.each(Object.keys(current))('of %s is the reviewed list', (name) => {
    const same = JSON.stringify(current[name]) === JSON.stringify(reviewed[name]);
    if (!same) throw new Error(difference(name));
    expect(current[name]).toEqual(reviewed[name]);
  });
});
