import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FIX, findChromium, launchTestChromium } from './support/chromium';
import { ROOT } from './support/run-cli';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8')) as { version: string }).version;

describe("the browser tests' Chromium, from npm", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-chromium-lookup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the Chromium the @sparticuz/chromium devDependency ships, inflated into node_modules/.cache as an executable that runs here', async () => {
    const found = await findChromium({ env: {} });
    expect(found).toEqual({ executablePath: join(ROOT, 'node_modules', '.cache', 'privacy-kit', `chromium-${VERSION}`, 'chromium'), origin: `@sparticuz/chromium ${VERSION}`, packaged: true });
    expect(statSync(found.executablePath).mode & 0o111).not.toBe(0);
    const version = spawnSync(found.executablePath, ['--version'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(new RegExp(`^Chromium ${VERSION.split('.')[0]}\\.`));
  });

  it('names the fix when PRIVACY_KIT_CHROMIUM names no executable', async () => {
    await expect(findChromium({ env: { PRIVACY_KIT_CHROMIUM: join(dir, 'no-chromium') } })).rejects.toThrow(
      `PRIVACY_KIT_CHROMIUM=${join(dir, 'no-chromium')} names no executable Chromium. Point it at a Chromium binary (e.g. /usr/bin/chromium), or unset it to use the one the @sparticuz/chromium devDependency ships (\`npm install\`).`,
    );
  });

  it('fails with one message naming the missing library and the command that installs it when the packaged Chromium cannot start', async () => {
    // What the packaged binary prints on a machine without libnss3, without taking the library away from this one.
    const fake = join(dir, 'cache', `chromium-${VERSION}`, 'chromium');
    mkdirSync(join(dir, 'cache', `chromium-${VERSION}`), { recursive: true });
    writeFileSync(fake, "#!/bin/sh\necho 'chromium: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory' >&2\nexit 127\n");
    chmodSync(fake, 0o755);
    const launched = launchTestChromium(join(dir, 'profile'), { env: {}, cacheDir: join(dir, 'cache') });
    await expect(launched).rejects.toThrow(
      `Chromium (@sparticuz/chromium ${VERSION}, ${fake}) did not start: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory. ` +
        `It needs the shared libraries libnss3, libnspr4 and libexpat1: run \`${CHROMIUM_FIX}\` as root, or set PRIVACY_KIT_CHROMIUM to a Chromium that runs here.`,
    );
  });
});
