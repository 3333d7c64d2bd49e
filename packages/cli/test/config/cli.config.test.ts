import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCliConfig, parseCliConfig } from '../../src/config/cli.config';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-config-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI configuration', () => {
  it('reports a --config file that does not exist as not found, naming it', () => {
    expect(() => loadCliConfig({ configFile: 'missing.config.json', cwd: dir })).toThrow(
      expect.objectContaining({ code: 'PK_NOT_FOUND', package: '@privacy-kit/cli', problem: 'missing.config.json: no such file.' }),
    );
  });

  it('reports a config file that cannot be read as an I/O failure', () => {
    mkdirSync(join(dir, 'folder.config.json'));
    expect(() => loadCliConfig({ configFile: 'folder.config.json', cwd: dir })).toThrow(
      expect.objectContaining({ code: 'PK_IO', problem: expect.stringMatching(/folder\.config\.json: cannot read it: EISDIR/) }),
    );
  });

  it('reports a config file that is not JSON as an invalid option, with the parser message', () => {
    writeFileSync(join(dir, 'broken.config.json'), '{ "allow": [');
    expect(() => loadCliConfig({ configFile: 'broken.config.json', cwd: dir })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', problem: expect.stringMatching(/broken\.config\.json: cannot read it as JSON: /) }),
    );
  });

  it('refuses an unknown key and suggests the one it meant', () => {
    expect(() => parseCliConfig({ alow: [] }, 'privacy-kit.config.json')).toThrow(
      expect.objectContaining({
        code: 'PK_INVALID_OPTION',
        problem: "privacy-kit.config.json: unknown option 'alow'. Did you mean 'allow'? Known options: name, controller, securityMeasures, additionalSecurityMeasures, allow, observed, export, monitoring.",
      }),
    );
  });

  it("keeps the 'monitoring' rules as given, and refuses an unknown rule with the suggestion the rules' own check makes", () => {
    const monitoring = { massAccess: { threshold: 20, windowMs: 600_000 }, offHours: { from: '07:00', to: '20:00', timeZone: 'Europe/Berlin' } };
    expect(parseCliConfig({ monitoring }, 'privacy-kit.config.json').monitoring).toEqual(monitoring);
    expect(() => parseCliConfig({ monitoring: { massAcess: {} } }, 'privacy-kit.config.json')).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', problem: expect.stringMatching(/^privacy-kit\.config\.json: 'monitoring': unknown option 'massAcess'\. Did you mean 'massAccess'\?/) }),
    );
    expect(() => parseCliConfig({ monitoring: { offHours: { from: '7am', to: '20:00' } } }, 'privacy-kit.config.json')).toThrow(/'monitoring': 'offHours\.from' must be a time of day 'HH:MM'/);
  });

  it("suggests 'allow' for 'allowList'", () => {
    expect(() => parseCliConfig({ allowList: [] }, 'privacy-kit.config.json')).toThrow(/unknown option 'allowList'\. Did you mean 'allow'\?/);
  });

  it('refuses an unknown key of the controller and suggests the one it meant', () => {
    expect(() => parseCliConfig({ controller: { name: 'Shop Ltd', contct: 'privacy@shop.example' } }, 'privacy-kit.config.json')).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', problem: expect.stringContaining("privacy-kit.config.json: controller: unknown option 'contct'. Did you mean 'contact'?") }),
    );
  });

  it('passes on an allow-list problem in its own words, without the package of core', () => {
    expect(() => parseCliConfig({ allow: [{ route: 'GET /health' }] }, 'privacy-kit.config.json')).toThrow(
      expect.objectContaining({ package: '@privacy-kit/cli', problem: expect.stringMatching(/^privacy-kit\.config\.json: /) }),
    );
  });
});
