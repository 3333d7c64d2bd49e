import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { INVENTORY_FORMATS, renderInventory, type Inventory, type InventoryFormat } from '@privacy-kit/core';
import { CliFailure, ioReason } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';
import { formatTable, wrapText, type Styles } from '../output/terminal';
import { APP_CONFIG_OPTION_HELP } from '../load/app-module.loader';
import { loadAppInventory } from './app-inventory';
import type { CommandContext } from './command-context';

/** `--format` values: the inventory formats plus a terminal table. */
export const MAP_FORMATS = ['table', ...INVENTORY_FORMATS] as const;
type MapFormat = (typeof MAP_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, InventoryFormat>> = { '.json': 'json', '.md': 'md', '.markdown': 'md', '.mmd': 'mermaid', '.mermaid': 'mermaid', '.html': 'html', '.htm': 'html' };

interface MapFlags {
  readonly format?: MapFormat;
  readonly out?: string;
  readonly export?: string;
  readonly appConfig?: string;
  readonly observed?: string[];
  readonly config?: string;
  readonly source: boolean;
}

/**
 * Writes a rendered map to `--out`, creating its folders; a file it cannot write is an I/O failure (exit 2).
 *
 * @param file - absolute path
 * @param text - the rendered map
 * @param shown - the path as the user wrote it
 */
export function writeReport(file: string, text: string, shown: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new CliFailure('PK_IO', `cannot write ${shown}: ${ioReason(error)}.`, EXIT_CODES.USAGE, { cause: error });
  }
}

function list(values: readonly string[] | undefined): string {
  return values === undefined || values.length === 0 ? '–' : values.join(', ');
}

/**
 * The inventory as a terminal table: one line per route, then problems and warnings. On a terminal of known
 * width every line fits it: cells are cut with '…' (the method and path last), prose is wrapped.
 *
 * @param inventory - the inventory
 * @param styles - colours (no-ops when off)
 * @param width - terminal width, if known
 */
export function renderInventoryTable(inventory: Inventory, styles: Styles, width?: number): string {
  const { summary } = inventory;
  const rows = inventory.routes.map((r) => {
    const p = r.processing;
    const observed = r.observed === null ? '' : r.undeclared.length > 0 ? styles.red(`undeclared: ${r.undeclared.join(', ')}`) : list(r.observed.categories);
    return [
      r.method,
      r.path,
      r.handler,
      p === null ? styles.dim('(no annotation)') : list(p.categories),
      p === null ? '' : list(p.purposes),
      p === null ? '' : p.basis ?? styles.red('missing'),
      observed,
    ];
  });
  // Prose is wrapped before it is styled, so that a colour never spans a line break.
  const prose = (text: string, style: (t: string) => string = (t) => t): string => wrapText(text, width).split('\n').map(style).join('\n');
  const lines = [
    prose(`${inventory.app.name}: ${summary.routes} routes (${summary.annotated} annotated, ${summary.unannotated} without annotation), ` +
      `${summary.categories.length} data categories, ${summary.purposes.length} purposes`).replace(inventory.app.name, styles.bold(inventory.app.name)),
    '',
    formatTable(['METHOD', 'PATH', 'HANDLER', 'CATEGORIES', 'PURPOSES', 'BASIS', 'OBSERVED'], rows, width, { keep: [0, 1] }),
  ];
  const problems = inventory.routes.flatMap((r) => r.problems);
  if (problems.length > 0) lines.push('', prose(`${problems.length} problem(s); run \`privacy-kit check\` for details.`, styles.red));
  for (const w of inventory.warnings) lines.push(prose(`warning: ${w}`, styles.yellow));
  lines.push('', prose('Full record: --format md|html|json|mermaid, --out FILE.', styles.dim));
  return `${lines.join('\n')}\n`;
}

function chooseFormat(flags: MapFlags, isTTY: boolean): MapFormat {
  if (flags.format !== undefined) return flags.format;
  if (flags.out !== undefined) {
    const byExtension = BY_EXTENSION[extname(flags.out).toLowerCase()];
    if (byExtension === undefined) {
      throw new CliFailure('PK_INVALID_OPTION', `cannot tell the format from '${flags.out}': give --format ${INVENTORY_FORMATS.join('|')}, or name the file .json, .md, .mmd or .html.`, EXIT_CODES.USAGE);
    }
    return byExtension;
  }
  return isTTY ? 'table' : 'json';
}

/** Registers `privacy-kit map <module>`. */
export function registerMapCommand(program: Command, ctx: CommandContext): void {
  program
    .command('map')
    .summary('write the inventory (compliance map) of an Express app')
    .description(
      'Loads a module that exports an Express app, a promise of one, or a factory that builds it (--export NAME; ' +
        'TypeScript or JavaScript; the app is not started) and writes its inventory: every route with its declared ' +
        'categories, purposes, lawful basis, consent, subject, roles, retention and recipients; the @PersonalData ' +
        'models; the routes without annotation; and, with observations, what drift detection saw in responses.',
    )
    .argument('<module>', 'module that exports the app (e.g. src/app.ts): `app`, the default export, or --export NAME')
    .addOption(new Option('-f, --format <format>', 'table (terminal default), json (default when piped), md (Art. 30 record), mermaid (data-flow diagram), html (one offline page)').choices(MAP_FORMATS))
    .option('-o, --out <file>', 'write to FILE instead of standard output (format from the extension unless --format)')
    .option('--export <name>', 'the export that holds the app, or the factory that builds it')
    .option('--app-config <file>', APP_CONFIG_OPTION_HELP)
    .option('--observed <file...>', 'drift observations to show beside the declarations (written by privacy({ drift: { file } }))')
    .option('-c, --config <file>', `config file (default: ${'privacy-kit.config.json'} or the "privacy-kit" key of package.json)`)
    .option('--no-source', 'do not look up where each handler is defined')
    .addHelpText('after', `
Examples:
  $ privacy-kit map src/app.ts
  $ privacy-kit map src/app.ts --format md --out RECORD.md
  $ privacy-kit map dist/app.js --out privacy-map.html --observed .privacy-kit/observed.json

Exit codes: 0 written, 2 usage error, 3 the module could not be loaded or exports no app.`)
    .action(async (module: string, flags: MapFlags) => {
      const format = chooseFormat(flags, ctx.output.isTTY && flags.out === undefined);
      const { inventory } = await loadAppInventory({
        module,
        cwd: ctx.cwd,
        sourceLocations: flags.source,
        ...(flags.export === undefined ? {} : { exportName: flags.export }),
        ...(flags.appConfig === undefined ? {} : { appConfig: flags.appConfig }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
        ...(flags.observed === undefined ? {} : { observed: flags.observed }),
      });
      const text = format === 'table' ? renderInventoryTable(inventory, ctx.styles, ctx.output.columns) : renderInventory(inventory, format);
      if (flags.out === undefined) {
        ctx.output.out(text);
      } else {
        writeReport(resolve(ctx.cwd, flags.out), text, flags.out);
        const s = inventory.summary;
        ctx.output.out(`Wrote ${flags.out} (${format}): ${s.routes} routes, ${s.annotated} annotated, ${s.unannotated} without annotation.\n`);
      }
      ctx.exit(EXIT_CODES.OK);
    });
}
