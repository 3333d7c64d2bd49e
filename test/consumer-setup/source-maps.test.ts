import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * Every published package carries the files its source maps name: a stack trace (node --enable-source-maps, tsx,
 * jest) and an editor's "go to definition" (declaration maps) lead to a file the user has.
 */
const ROOT = join(__dirname, '..', '..');
const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const published = workspaces.filter((w) => !(JSON.parse(readFileSync(join(ROOT, w, 'package.json'), 'utf8')) as { private?: boolean }).private);

function packedFiles(folder: string): Set<string> {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, folder), encoding: 'utf8' });
  return new Set((JSON.parse(output) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? []);
}

describe('the published packages and their source maps', () => {
  it('lists the published workspaces', () => {
    expect(published).toEqual(expect.arrayContaining(['packages/core', 'packages/express', 'packages/cli']));
  });

  it.each(published)('%s ships every file its .js.map and .d.ts.map files name, and no tests', (folder) => {
    const files = packedFiles(folder);
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(ROOT, folder, map), 'utf8')) as { sources: string[] };
      return sources.map((s) => posix.normalize(posix.join(posix.dirname(map), s))).filter((s) => !files.has(s)).map((s) => `${map} -> ${s}`);
    });
    expect(missing).toEqual([]);
    expect([...files].filter((f) => /(^|\/)test\/|\.test\.[cm]?[jt]s$/.test(f))).toEqual([]);
  });
});
