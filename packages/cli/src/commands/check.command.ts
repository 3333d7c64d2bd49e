import type { Command } from 'commander';
import { checkInventory, isPrivacyKitError, matchesRoutePattern, type AllowRule, type CheckFinding, type CheckReport, type InventoryRule } from '@privacy-kit/core';
import { discoverApp, type UnseenMount } from '@privacy-kit/express';
import { CliFailure } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import type { Styles } from '../output/terminal';
import { APP_CONFIG_OPTION_HELP } from '../load/app-module.loader';
import { loadAppInventory } from './app-inventory';
import { plain, type CommandContext } from './command-context';

interface CheckFlags {
  readonly strict?: boolean;
  readonly json?: boolean;
  readonly export?: string;
  readonly appConfig?: string;
  readonly observed?: string[];
  readonly config?: string;
}

const UNKNOWN_KEY_CODES = new Set(['PK_UNKNOWN_CATEGORY', 'PK_UNKNOWN_PURPOSE', 'PK_UNKNOWN_BASIS', 'PK_UNKNOWN_SUBJECT_TYPE']);

/** The finding for a mount the route walk cannot look into (a warning; an error with --strict). */
export const UNSEEN_MOUNT_RULE = 'unseen-mount';

/** A rule `check` reports: the inventory's rules, and mounts the route walk cannot look into. */
export type CheckRule = InventoryRule | typeof UNSEEN_MOUNT_RULE;

/** One thing `check` found; `route` is `USE /path` for an unseen mount. */
export type CliCheckFinding = Omit<CheckFinding, 'rule'> & { readonly rule: CheckRule };

/** What `check` reports: the inventory check, plus the mounts the route walk could not look into. */
export type CliCheckReport = Omit<CheckReport, 'errors' | 'warnings' | 'allowed'> & {
  readonly errors: readonly CliCheckFinding[];
  readonly warnings: readonly CliCheckFinding[];
  readonly allowed: readonly CliCheckFinding[];
};

function unseenMessage(mount: UnseenMount): string {
  const what = mount.kind === 'function'
    ? `a function (${mount.handler}) is mounted here with app.use(path, fn)`
    : 'a sub-app is mounted here that privacy-kit could not track';
  return `${mount.path}: ${what}; the route walk cannot see the routes behind it, so their declarations are not checked here ` +
    '(the running app still enforces them when a request reaches them, and reports the mount at start). ' +
    `Mount the router itself, e.g. app.use('${mount.path}', router), or allow-list '${mount.path}' with a reason if nothing behind it handles personal data.`;
}

/**
 * Adds the mounts the route walk could not look into: warnings, or errors with --strict; an allow-list entry without
 * `rules` whose route matches the mount path (`/wrap`, `USE /wrap`, `/wrap/*`) excuses one.
 *
 * @param report - from `checkInventory`
 * @param unseen - from the router walk
 * @param allow - the config's allow-list
 * @param strict - whether --strict was given
 */
export function withUnseenMounts(report: CheckReport, unseen: readonly UnseenMount[], allow: readonly AllowRule[], strict: boolean): CliCheckReport {
  if (unseen.length === 0) return report;
  const errors: CliCheckFinding[] = [...report.errors];
  const warnings: CliCheckFinding[] = [...report.warnings];
  const allowed: CliCheckFinding[] = [...report.allowed];
  const used = new Set<AllowRule>();
  for (const mount of unseen) {
    const finding: CliCheckFinding = { rule: UNSEEN_MOUNT_RULE, severity: strict ? 'error' : 'warning', route: `USE ${mount.path}`, message: unseenMessage(mount) };
    const excuse = allow.find((a) => a.rules === undefined && matchesRoutePattern(a.route, { method: 'USE', path: mount.path, aliases: [] }));
    if (excuse !== undefined) {
      used.add(excuse);
      allowed.push({ ...finding, allowedBecause: excuse.reason });
    } else (strict ? errors : warnings).push(finding);
  }
  return { ...report, ok: errors.length === 0, errors, warnings, allowed, unusedAllow: report.unusedAllow.filter((a) => !used.has(a)) };
}

/** A report for an app whose module throws on a privacy declaration while it loads. */
function loadFindingReport(error: CliFailure): CheckReport {
  const rule: InventoryRule = UNKNOWN_KEY_CODES.has(error.code) ? 'unknown-key' : error.code === 'PK_SPECIAL_CATEGORY' ? 'special-category-condition' : 'invalid-declaration';
  return { ok: false, errors: [{ rule, severity: 'error', route: null, message: error.message }], warnings: [], allowed: [], unusedAllow: [], routes: 0 };
}

function findingLines(finding: CliCheckFinding, mark: string, styles: Styles): string[] {
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
export function formatCheckReport(report: CliCheckReport, styles: Styles, strict: boolean): string {
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
    if (!strict && report.warnings.some((w) => w.rule === UNSEEN_MOUNT_RULE)) lines.push(styles.dim('  (unseen mounts are errors with --strict)'));
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
        '  special-category-condition  a route processes special category data (Art. 9: health, biometric, genetic,\n' +
        '                            religious belief...; Art. 10: criminal offences) without naming the condition it\n' +
        "                            relies on (specialCategoryCondition: 'health_care', 'explicit_consent', ...)\n" +
        '  unknown-key               a category, purpose or subject type is not in the vocabulary\n' +
        '  invalid-declaration       any other declaration that cannot be enforced\n' +
        '  undeclared-personal-data  a route returned personal data it does not declare (needs observations)\n' +
        '  unannotated               a route carries no annotation (only with --strict; a warning otherwise)\n' +
        '  unseen-mount              a function or sub-app mounted on a path hides its routes from the walk, e.g.\n' +
        "                            app.use('/wrap', (req, res, next) => router(req, res, next)) (only with --strict;\n" +
        '                            a warning otherwise)\n' +
        'Routes can be allow-listed with a reason: "allow": [{ "route": "GET /health", "reason": "..." }] in\n' +
        'privacy-kit.config.json or the "privacy-kit" key of package.json; an unseen mount by its path ("/wrap").',
    )
    .argument('<module>', 'module that exports the app')
    .option('--strict', 'routes without annotation are errors')
    .option('--observed <file...>', 'drift observations (written by privacy({ drift: { file } }), e.g. during the tests)')
    .option('--json', 'print the report as JSON')
    .option('--export <name>', 'the export that holds the app, or the factory that builds it')
    .option('--app-config <file>', APP_CONFIG_OPTION_HELP)
    .option('-c, --config <file>', 'config file (default: privacy-kit.config.json or the "privacy-kit" key of package.json)')
    .addHelpText('after', `
Examples:
  $ privacy-kit check src/app.ts
  $ privacy-kit check src/app.ts --strict --observed .privacy-kit/observed.json
  $ privacy-kit check dist/app.js --json > privacy-check.json

Exit codes: 0 passed, 1 problems found, 2 usage or config error, 3 the module could not be loaded.`)
    .action(async (module: string, flags: CheckFlags) => {
      let report: CliCheckReport;
      try {
        const { inventory, config, loaded } = await loadAppInventory({
          module,
          cwd: ctx.cwd,
          sourceLocations: false,
          ...(flags.export === undefined ? {} : { exportName: flags.export }),
          ...(flags.appConfig === undefined ? {} : { appConfig: flags.appConfig }),
          ...(flags.config === undefined ? {} : { configFile: flags.config }),
          ...(flags.observed === undefined ? {} : { observed: flags.observed }),
        });
        const allow = config.config.allow ?? [];
        const strict = flags.strict === true;
        report = withUnseenMounts(checkInventory(inventory, { strict, allow }), discoverApp(loaded.app).unseen, allow, strict);
      } catch (error) {
        // A declaration that throws while the module loads (twins and decorators validate early) is a finding.
        if (error instanceof CliFailure && error.exitCode === EXIT_CODES.MODULE && isPrivacyKitError(error.cause)) report = loadFindingReport(error);
        else throw error;
      }
      ctx.output.out(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report, ctx.styles, flags.strict === true));
      ctx.exit(report.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED);
    });
}
