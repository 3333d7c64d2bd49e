import type { Command } from 'commander';
import { checkInventory, isPrivacyKitError, type CheckFinding, type CheckReport, type InventoryRule } from '@privacy-kit/core';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import type { Styles } from '../output/terminal';
import { loadAppInventory } from './app-inventory';
import { plain, type CommandContext } from './command-context';

interface CheckFlags {
  readonly strict?: boolean;
  readonly json?: boolean;
  readonly export?: string;
  readonly observed?: string[];
  readonly config?: string;
}

const UNKNOWN_KEY_CODES = new Set(['PK_UNKNOWN_CATEGORY', 'PK_UNKNOWN_PURPOSE', 'PK_UNKNOWN_BASIS', 'PK_UNKNOWN_SUBJECT_TYPE']);

/** A report for an app whose module throws on a privacy declaration while it loads. */
function loadFindingReport(error: CliFailure): CheckReport {
  const rule: InventoryRule = UNKNOWN_KEY_CODES.has(error.code) ? 'unknown-key' : 'invalid-declaration';
  return { ok: false, errors: [{ rule, severity: 'error', route: null, message: error.message }], warnings: [], allowed: [], unusedAllow: [], routes: 0 };
}

function findingLines(finding: CheckFinding, mark: string, styles: Styles): string[] {
  const head = `${mark} ${finding.rule.padEnd(26)} ${finding.route ?? '(app)'}`;
  return [head, `    ${styles.dim(plain(finding.message))}`];
}

/**
 * The check report as text for people.
 *
 * @param report - from `checkInventory`
 * @param styles - colours (no-ops when off)
 * @param strict - whether --strict was given (for the hint on unannotated routes)
 */
export function formatCheckReport(report: CheckReport, styles: Styles, strict: boolean): string {
  const lines: string[] = [];
  const errors = report.errors.length;
  lines.push(errors === 0
    ? styles.green(`✔ privacy-kit check passed: ${report.routes} routes, no problems${report.warnings.length > 0 ? `, ${report.warnings.length} warning(s)` : ''}.`)
    : styles.red(`✖ privacy-kit check failed: ${errors} problem(s) in ${report.routes} routes.`));
  if (errors > 0) {
    lines.push('');
    for (const f of report.errors) lines.push(...findingLines(f, styles.red('✖'), styles));
  }
  if (report.warnings.length > 0) {
    lines.push('');
    for (const f of report.warnings) lines.push(...findingLines(f, styles.yellow('⚠'), styles));
    if (!strict && report.warnings.some((w) => w.rule === 'unannotated')) lines.push(styles.dim('  (routes without annotation are errors with --strict)'));
  }
  if (report.allowed.length > 0) {
    lines.push('');
    for (const f of report.allowed) lines.push(`${styles.dim('○')} ${f.rule.padEnd(26)} ${f.route ?? '(app)'} ${styles.dim(`allowed: ${f.allowedBecause ?? ''}`)}`);
  }
  for (const unused of report.unusedAllow) lines.push(styles.yellow(`⚠ allow-list entry '${unused.route}' matches no finding; remove it if the route is gone or fixed.`));
  return `${lines.join('\n')}\n`;
}

/** Registers `privacy-kit check <module>`. */
export function registerCheckCommand(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .summary('fail (exit 1) when the privacy declarations of an app are incomplete')
    .description(
      'A CI gate. Loads the app module (without starting it) and fails when:\n' +
        '  missing-basis             a route declares personal data but no lawful basis\n' +
        '  consent-without-purpose   a consent route names no purpose\n' +
        '  missing-purpose           a route names no purpose\n' +
        '  unknown-key               a category, purpose or subject type is not in the vocabulary\n' +
        '  invalid-declaration       any other declaration that cannot be enforced\n' +
        '  undeclared-personal-data  a route returned personal data it does not declare (needs observations)\n' +
        '  unannotated               a route carries no annotation (only with --strict; a warning otherwise)\n' +
        'Routes can be allow-listed with a reason: "allow": [{ "route": "GET /health", "reason": "..." }] in\n' +
        'privacy-kit.config.json or the "privacy-kit" key of package.json.',
    )
    .argument('<module>', 'module that exports the app')
    .option('--strict', 'routes without annotation are errors')
    .option('--observed <file...>', 'drift observations (written by privacy({ drift: { file } }), e.g. during the tests)')
    .option('--json', 'print the report as JSON')
    .option('--export <name>', 'the export that holds the app')
    .option('-c, --config <file>', 'config file (default: privacy-kit.config.json or the "privacy-kit" key of package.json)')
    .addHelpText('after', `
Examples:
  $ privacy-kit check src/app.ts
  $ privacy-kit check src/app.ts --strict --observed .privacy-kit/observed.json
  $ privacy-kit check dist/app.js --json > privacy-check.json

Exit codes: 0 passed, 1 problems found, 2 usage or config error, 3 the module could not be loaded.`)
    .action(async (module: string, flags: CheckFlags) => {
      let report: CheckReport;
      try {
        const { inventory, config } = await loadAppInventory({
          module,
          cwd: ctx.cwd,
          sourceLocations: false,
          ...(flags.export === undefined ? {} : { exportName: flags.export }),
          ...(flags.config === undefined ? {} : { configFile: flags.config }),
          ...(flags.observed === undefined ? {} : { observed: flags.observed }),
        });
        report = checkInventory(inventory, { strict: flags.strict === true, allow: config.config.allow ?? [] });
      } catch (error) {
        // A declaration that throws while the module loads (twins and decorators validate early) is a finding.
        if (error instanceof CliFailure && error.exitCode === EXIT_CODES.MODULE && isPrivacyKitError(error.cause)) report = loadFindingReport(error);
        else throw error;
      }
      ctx.output.out(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report, ctx.styles, flags.strict === true));
      ctx.exit(report.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED);
    });
}
