import type { Command } from 'commander';
import { coverageOf, type CoverageReport } from '@privacy-kit/core';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { formatTable, type Styles } from '../output/terminal';
import { readSqliteAuditHits } from '../stores/audit-sources';
import { APP_CONFIG_OPTION_HELP } from '../load/app-module.loader';
import { loadAppInventory } from './app-inventory';
import type { CommandContext } from './command-context';

interface CoverageFlags {
  readonly db: string;
  readonly min?: string;
  readonly json?: boolean;
  readonly export?: string;
  readonly appConfig?: string;
  readonly config?: string;
}

/**
 * The coverage report as text for people.
 *
 * @param report - from `coverageOf`
 * @param styles - colours (no-ops when off)
 * @param min - the `--min` threshold, if any
 * @param width - terminal width, if known
 */
export function formatCoverageReport(report: CoverageReport, styles: Styles, min: number | undefined, width?: number): string {
  const below = min !== undefined && report.percent < min;
  const head = `${report.exercised.length} of ${report.total} annotated routes exercised by the tests (${report.percent}%)`;
  const lines = [below ? styles.red(`✖ ${head}, below --min ${min}%.`) : styles.green(`✔ ${head}.`), ''];
  const rows = [
    ...report.exercised.map((c) => [styles.green('✔'), c.id, String(c.allowed), String(c.denied)]),
    ...report.missed.map((id) => [styles.red('✖'), id, '0', '0']),
  ];
  if (rows.length > 0) lines.push(formatTable(['', 'ROUTE', 'ALLOWED', 'DENIED'], rows, width));
  if (report.missed.length > 0) lines.push('', `Not exercised: ${report.missed.join(', ')}`);
  if (report.unmatched.length > 0) lines.push('', styles.dim(`Audited but not an annotated route of the app: ${report.unmatched.join(', ')}`));
  return `${lines.join('\n')}\n`;
}

function parseMin(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new CliFailure('PK_INVALID_OPTION', `--min must be a percentage from 0 to 100, e.g. --min 80; got '${text}'.`, EXIT_CODES.USAGE);
  }
  return value;
}

/** Registers `privacy-kit coverage <module> --db FILE`. */
export function registerCoverageCommand(program: Command, ctx: CommandContext): void {
  program
    .command('coverage')
    .summary('which annotated routes the tests exercised, from the audit log of a test run')
    .description(
      'Reads the audit records a test run wrote to a SQLite store file (opened read-only; no key needed) and\n' +
        'reports which annotated routes of the app were exercised (allowed or denied) and which were not.',
    )
    .argument('<module>', 'module that exports the app')
    .requiredOption('--db <file>', 'the SQLite file of the store the tests used (createSqliteStore({ filename }))')
    .option('--min <percent>', 'fail (exit 1) below this share of annotated routes exercised')
    .option('--json', 'print the report as JSON')
    .option('--export <name>', 'the export that holds the app, or the factory that builds it')
    .option('--app-config <file>', APP_CONFIG_OPTION_HELP)
    .option('-c, --config <file>', 'config file')
    .addHelpText('after', `
Examples:
  $ PRIVACY_KIT_DB=test-output/audit.db npm test && privacy-kit coverage src/app.ts --db test-output/audit.db
  $ privacy-kit coverage src/app.ts --db test-output/audit.db --min 90 --json

Exit codes: 0 done (and at least --min), 1 below --min, 2 usage error or unreadable database, 3 the module could not be loaded.`)
    .action(async (module: string, flags: CoverageFlags) => {
      const min = parseMin(flags.min);
      const hits = await readSqliteAuditHits(ctx.cwd, flags.db);
      const { inventory } = await loadAppInventory({
        module,
        cwd: ctx.cwd,
        sourceLocations: false,
        ...(flags.export === undefined ? {} : { exportName: flags.export }),
        ...(flags.appConfig === undefined ? {} : { appConfig: flags.appConfig }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
      const report = coverageOf(inventory, hits);
      ctx.output.out(flags.json === true ? `${JSON.stringify({ ...report, min: min ?? null }, null, 2)}\n` : formatCoverageReport(report, ctx.styles, min, ctx.output.columns));
      ctx.exit(min !== undefined && report.percent < min ? EXIT_CODES.FAILED : EXIT_CODES.OK);
    });
}
