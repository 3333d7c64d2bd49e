import type { Command } from 'commander';
import { findPrivacyKit, type SweepProgress, type SweepReport } from '@privacy-kit/express';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { APP_CONFIG_OPTION_HELP, loadAppModule } from '../load/app-module.loader';
import { formatTable, type Styles } from '../output/terminal';
import type { CommandContext } from './command-context';

interface SweepFlags {
  readonly export?: string;
  readonly appConfig?: string;
  readonly json?: boolean;
}

/** Where a progress bar is drawn: a terminal stream. */
export interface ProgressTarget {
  write(text: string): unknown;
  readonly columns?: number;
}

/**
 * A one-line progress bar redrawn in place (`\r`), for a terminal only; `done()` clears the line.
 *
 * @param target - a TTY stream, usually `process.stderr`
 * @example
 * const bar = createProgressBar(process.stderr);
 * bar.update({ done: 1, total: 4, source: 'orders', retention: '10y' });
 * bar.done();
 */
export function createProgressBar(target: ProgressTarget): { update(progress: SweepProgress): void; done(): void } {
  const columns = target.columns !== undefined && target.columns > 20 ? target.columns : 80;
  return {
    update(progress: SweepProgress): void {
      const label = progress.source === undefined ? 'starting' : `${progress.source} (${progress.retention ?? '?'})`;
      const counter = `${progress.done}/${progress.total}`;
      const width = Math.max(10, Math.min(30, columns - counter.length - label.length - 16));
      const filled = progress.total === 0 ? width : Math.round((progress.done / progress.total) * width);
      const line = `sweeping [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${counter} ${label}`;
      target.write(`\r\u001b[K${line.slice(0, columns - 1)}`);
    },
    done(): void {
      target.write('\r\u001b[K');
    },
  };
}

/**
 * A sweep report for people: one line per purge, then the sources that were skipped and why.
 *
 * @param report - what `kit.sweep()` returned
 * @param styles - colours (no-ops when off)
 * @param width - terminal width, if known
 */
export function renderSweepReport(report: SweepReport, styles: Styles, width?: number): string {
  const rows = report.results.map((r) => [
    r.status === 'done' ? styles.green('✔') : styles.red('✖'),
    r.source,
    r.retention,
    r.cutoff,
    r.fields.join(', '),
    r.status === 'done' ? (r.removed === null ? styles.dim('not reported') : String(r.removed)) : styles.red(r.error ?? 'failed'),
  ]);
  const lines: string[] = [];
  if (rows.length > 0) lines.push(formatTable(['', 'SOURCE', 'KEPT', 'PURGED BEFORE', 'FIELDS', 'REMOVED'], rows, width));
  else lines.push('No source has both a retention period and a purge(); nothing to sweep.');
  for (const s of report.skipped) lines.push(styles.yellow(`skipped ${s.source}: ${s.reason}`));
  const failed = report.results.filter((r) => r.status === 'failed').length;
  lines.push(
    failed === 0
      ? styles.green(`✔ sweep ${report.sweepId}: ${report.results.length} purge(s) done, recorded in the audit.`)
      : styles.red(`✖ sweep ${report.sweepId}: ${failed} of ${report.results.length} purge(s) failed (see above); the others are done. Every purge is recorded in the audit.`),
  );
  return `${lines.join('\n')}\n`;
}

/** Registers `privacy-kit sweep <module>`. */
export function registerSweepCommand(program: Command, ctx: CommandContext): void {
  program
    .command('sweep')
    .summary('purge personal data past its retention period (exit 1 when a purge failed)')
    .description(
      'Loads the module, finds the privacy() kit mounted on its app, and runs kit.sweep(): every data source with a ' +
        'purge() is asked to remove what is past its retention period, and each purge is written to the audit. ' +
        'The module must build the app with its real store and sources (without starting it).',
    )
    .argument('<module>', 'module that exports the Express app with privacy() mounted (TypeScript or JavaScript)')
    .option('--export <name>', 'which export is the app, or the factory that builds it (default: app, default, server, router, or the only app)')
    .option('--app-config <file>', APP_CONFIG_OPTION_HELP)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  $ privacy-kit sweep dist/privacy-app.js
  $ privacy-kit sweep src/privacy-app.ts --json > sweep-report.json
  $ privacy-kit sweep dist/app.js --export createApp --app-config sweep.config.json

The app must use the store it runs with: a store in memory (SQLite ':memory:') is refused, since the sweep's
audit records would vanish with this process.
A progress bar is drawn on standard error when it is a terminal.
Exit codes: 0 every purge done, 1 a purge failed, 2 usage error, a store in memory, or the audit could not be
written, 3 module problem.`)
    .action(async (specifier: string, flags: SweepFlags) => {
      const loaded = await loadAppModule(specifier, {
        cwd: ctx.cwd,
        ...(flags.export === undefined ? {} : { exportName: flags.export }),
        ...(flags.appConfig === undefined ? {} : { appConfig: flags.appConfig }),
      });
      const kit = findPrivacyKit(loaded.app);
      if (kit === undefined) {
        throw new CliFailure('PK_CONFIG', `${specifier}: the app (export '${loaded.exportName}') has no privacy() mounted. Mount it with app.use(privacy({ store, sources, ... })) in the module.`, EXIT_CODES.MODULE);
      }
      if (kit.store.ephemeral === true) {
        kit.dispose();
        await kit.store.close().catch(() => undefined);
        throw new CliFailure(
          'PK_CONFIG',
          `${specifier}: the app's privacy() store is in memory, so the sweep's audit records would vanish when this command ends, and nothing was purged. ` +
            "Build the app with the store it runs with: e.g. createSqliteStore({ filename: process.env.PRIVACY_KIT_DB ?? 'privacy-kit.db', auditKey }) with the app's secret, " +
            'or export a factory and pass the real database with --export createApp --app-config FILE.',
          EXIT_CODES.USAGE,
        );
      }
      const bar = process.stderr.isTTY === true ? createProgressBar(process.stderr) : undefined;
      let report: SweepReport;
      try {
        report = await kit.sweep(bar === undefined ? {} : { onProgress: (p) => bar.update(p) });
      } catch (error) {
        throw new CliFailure('PK_STORE_UNAVAILABLE', `the sweep stopped: ${problemOf(error)} Nothing is purged without an audit record; fix the store and run it again.`, EXIT_CODES.USAGE, { cause: error });
      } finally {
        bar?.done();
        kit.dispose();
        await kit.store.close().catch(() => undefined);
      }
      ctx.output.out(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderSweepReport(report, ctx.styles, ctx.output.columns));
      ctx.exit(report.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED);
    });
}
