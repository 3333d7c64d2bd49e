import type { Command } from 'commander';
import { INVENTORY_SCHEMA } from '@privacy-kit/core';
import { EXIT_CODES } from '../exit-codes';
import type { CommandContext } from './command-context';

/** Registers `privacy-kit schema`. */
export function registerSchemaCommand(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .summary('print the JSON Schema of the inventory (`map --format json`)')
    .description('Prints the versioned JSON Schema (draft-07) that the JSON inventory validates against. The package also ships it as @privacy-kit/cli/inventory.schema.json.')
    .action(() => {
      ctx.output.out(`${JSON.stringify(INVENTORY_SCHEMA, null, 2)}\n`);
      ctx.exit(EXIT_CODES.OK);
    });
}
