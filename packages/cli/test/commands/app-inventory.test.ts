import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObservations } from '../../src/commands/app-inventory';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-observed-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a drift observations file', () => {
  it('reports a missing file as not found, saying who writes it', () => {
    expect(() => readObservations(join(dir, 'observed.json'), 'observed.json')).toThrow(
      expect.objectContaining({ code: 'PK_NOT_FOUND', problem: expect.stringMatching(/^no observations file observed\.json\. It is written by privacy\(\{ drift: \{ file \} \}\)/) }),
    );
  });

  it('reports a file that cannot be read as an I/O failure', () => {
    mkdirSync(join(dir, 'observed.json'));
    expect(() => readObservations(join(dir, 'observed.json'), 'observed.json')).toThrow(
      expect.objectContaining({ code: 'PK_IO', problem: expect.stringMatching(/^cannot read observed\.json: EISDIR/) }),
    );
  });

  it("passes on core's objection to a malformed file in its own words", () => {
    writeFileSync(join(dir, 'observed.json'), JSON.stringify({ version: 2, routes: {} }));
    expect(() => readObservations(join(dir, 'observed.json'), 'observed.json')).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', package: '@privacy-kit/cli', problem: expect.stringMatching(/^observed\.json: unsupported version 2\./) }),
    );
  });
});
