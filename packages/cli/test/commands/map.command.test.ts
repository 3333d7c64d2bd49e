import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../src/commands/map.command';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-map-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writing the map to --out', () => {
  it('creates the folders it needs and writes the file', () => {
    writeReport(join(dir, 'docs', 'privacy', 'map.md'), '# map\n', 'docs/privacy/map.md');
    expect(readFileSync(join(dir, 'docs', 'privacy', 'map.md'), 'utf8')).toBe('# map\n');
  });

  it('reports a file it cannot write as an I/O failure, naming it', () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    expect(() => writeReport(join(dir, 'blocker', 'map.md'), '# map\n', 'blocker/map.md')).toThrow(
      expect.objectContaining({ code: 'PK_IO', package: '@privacy-kit/cli', problem: expect.stringMatching(/^cannot write blocker\/map\.md: E[A-Z]+\.$/) }),
    );
  });
});
