import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { isIsoInstant, isPrivacyKitError, monitorRecords, type AuditRecord, type IncidentEventKind, type ScopeFilter } from '@privacy-kit/core';
import { IncidentService, keepsIncidents, type IncidentActor, type IncidentRegisterStore } from '@privacy-kit/express';
import { CliFailure, problemOf } from '../cli-failure';
import { loadCliConfig } from '../config/cli.config';
import { EXIT_CODES } from '../exit-codes';
import { DEFAULT_SECRET_ENV, auditKeyFrom } from '../stores/audit-sources';
import { openKeyStore, type WritableKeyStore } from '../stores/key-stores';
import type { CommandContext } from './command-context';

interface StoreFlags {
  readonly db?: string;
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly keyEnv?: string;
  readonly json?: boolean;
}

/** The app id of the audit records the CLI writes. */
const CLI_APP_ID = 'privacy-kit-cli';
const PAGE = 10_000;

function operator(command: string): IncidentActor {
  return { actor: null, requestId: `incidents-${randomUUID()}`, method: null, route: `privacy-kit incidents ${command}` };
}

async function openRegister(ctx: CommandContext, flags: StoreFlags): Promise<IncidentRegisterStore & WritableKeyStore> {
  const store = await openKeyStore({
    ...(flags.db === undefined ? {} : { db: flags.db }),
    ...(flags.databaseUrl === undefined ? {} : { databaseUrl: flags.databaseUrl }),
    ...(flags.schema === undefined ? {} : { schema: flags.schema }),
  }, auditKeyFrom(ctx.env, flags.keyEnv), ctx.cwd, { command: 'incidents', db: '--db', url: '--database-url', secret: '--key-env' }, 'key');
  if (!keepsIncidents(store)) {
    await store.close();
    throw new CliFailure('PK_INVALID_OPTION', 'the store keeps no incident register: it was written by an earlier privacy-kit; open it with this version once (the app does it on start).', EXIT_CODES.USAGE);
  }
  return store;
}

async function withService(ctx: CommandContext, flags: StoreFlags, fn: (service: IncidentService, store: IncidentRegisterStore) => Promise<void>): Promise<void> {
  const store = await openRegister(ctx, flags);
  try {
    await fn(new IncidentService(store, CLI_APP_ID), store);
  } catch (error) {
    if (isPrivacyKitError(error) && (error.code === 'PK_NOT_FOUND' || error.code === 'PK_INVALID_OPTION') && (error as { name?: string }).name !== 'CliFailure') {
      throw new CliFailure(error.code, problemOf(error), EXIT_CODES.USAGE, { cause: error });
    }
    throw error;
  } finally {
    await store.close();
  }
}

function out(ctx: CommandContext, json: boolean, value: unknown, text: () => string): void {
  ctx.output.out(json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

/** Every audit record of the store, or those of a window, page by page. */
async function* allRecords(store: IncidentRegisterStore, window: { readonly from?: string; readonly to?: string } = {}): AsyncIterable<AuditRecord> {
  let afterSeq = 0;
  for (;;) {
    const page = await store.readAudit({ ...window, afterSeq, limit: PAGE });
    if (page.length === 0) return;
    yield* page;
    afterSeq = (page[page.length - 1] as AuditRecord).seq;
  }
}

function storeOptions(command: Command): Command {
  return command
    .option('--db <file>', 'the SQLite file of the store')
    .option('--database-url <url>', 'a PostgreSQL connection string (needs @privacy-kit/postgres)')
    .option('--schema <name>', 'the PostgreSQL schema of the store (default privacy_kit)')
    .option('--key-env <var>', `environment variable holding the app's secret, whose audit key the register's records are keyed with (default ${DEFAULT_SECRET_ENV})`)
    .option('--json', 'print JSON');
}

/** Registers `privacy-kit incidents`: alerts over a whole store, and the incident register. */
export function registerIncidentsCommand(program: Command, ctx: CommandContext): void {
  const incidents = program
    .command('incidents')
    .summary('breach readiness: alerts over the audit log, the incident register and its 72-hour clock')
    .description(
      "Runs the monitoring rules over a whole store's audit log, and keeps the incident register: open an incident (from an\n" +
        'alert or by hand), record what happens, compute its scope from the audit log (which subjects and categories an\n' +
        'actor, a route or a window reached), draft the Art. 33 notification. Every change is appended and audited.',
    );

  storeOptions(incidents.command('alerts')
    .summary("run the monitoring rules over the audit log (every instance's records) and list the alerts; exit 1 if any")
    .description(
      "Runs the monitoring rules over the store's audit log, the records of every instance that writes to it: on a fleet, each " +
        "instance's privacy({ monitoring }) sees only its own traffic, so run this on a schedule with --from to watch the whole. " +
        "The rules are the defaults, or the 'monitoring' of privacy-kit.config.json (the rules given to privacy({ monitoring })). " +
        'Exits 1 when it finds an alert, 0 when none.'))
    .option('--from <iso>', 'only records from this instant (e.g. an hour ago); the baseline rule learns from what it reads')
    .option('--to <iso>', 'only records up to this instant')
    .action(async (flags: StoreFlags & { from?: string; to?: string }) => {
      // Flags and configuration are checked before the store is opened.
      const bad = (['from', 'to'] as const).filter((flag) => flags[flag] !== undefined && !isIsoInstant(flags[flag]));
      if (bad.length > 0) throw new CliFailure('PK_INVALID_OPTION', `${bad.map((flag) => `--${flag}`).join(' and ')} must be an ISO 8601 time with offset, e.g. 2026-12-05T09:00:00Z or 2026-12-05T10:00:00+01:00.`, EXIT_CODES.USAGE);
      const rules = loadCliConfig({ cwd: ctx.cwd }).config.monitoring;
      const window = { ...(flags.from === undefined ? {} : { from: flags.from }), ...(flags.to === undefined ? {} : { to: flags.to }) };
      await withService(ctx, flags, async (_service, store) => {
        const alerts = await monitorRecords(allRecords(store, window), rules);
        out(ctx, flags.json === true, { alerts }, () => (alerts.length === 0 ? 'no alerts\n' : alerts.map((a) => `${a.time}  ${a.rule}  ${a.explanation}\n    ${a.command}\n`).join('')));
        ctx.exit(alerts.length === 0 ? EXIT_CODES.OK : EXIT_CODES.FAILED);
      });
    });

  storeOptions(incidents.command('list').summary('every incident with its 72-hour clock'))
    .action(async (flags: StoreFlags) => withService(ctx, flags, async (service) => {
      const list = await service.list();
      out(ctx, flags.json === true, { incidents: list.map(({ incident, clock }) => ({ ...incident, events: undefined, clock })) }, () =>
        list.length === 0 ? 'no incidents\n' : list.map(({ incident, clock }) => `${incident.id}  ${incident.status.padEnd(9)}  ${clock.overdue ? 'OVERDUE' : `deadline ${incident.deadline}`}  ${incident.title}\n`).join(''));
      ctx.exit(list.some((i) => i.clock.overdue) ? EXIT_CODES.FAILED : EXIT_CODES.OK);
    }));

  storeOptions(incidents.command('open').summary('open an incident, by hand or from an alert'))
    .requiredOption('--title <text>', 'what happened, in a few words')
    .option('--known-at <iso>', 'when the breach became known (the 72-hour clock starts there; default now)')
    .option('--alert <id>', "the alert it comes from (its id in the webhook's JSON and in the audit log)")
    .option('--description <text>', 'more detail')
    .action(async (flags: StoreFlags & { title: string; knownAt?: string; alert?: string; description?: string }) => withService(ctx, flags, async (service) => {
      const incident = await service.open(operator('open'), {
        title: flags.title, ...(flags.knownAt === undefined ? {} : { knownAt: flags.knownAt }),
        ...(flags.alert === undefined ? {} : { alertId: flags.alert }), ...(flags.description === undefined ? {} : { description: flags.description }),
      });
      out(ctx, flags.json === true, { incident }, () => `✔ opened ${incident.id}: notify the supervisory authority by ${incident.deadline} (Art. 33).\n`);
      ctx.exit(EXIT_CODES.OK);
    }));

  storeOptions(incidents.command('show').summary('one incident, its events and clock').argument('<id>'))
    .action(async (id: string, flags: StoreFlags) => withService(ctx, flags, async (service) => {
      const incident = await service.get(id);
      if (incident === undefined) throw new CliFailure('PK_NOT_FOUND', `no incident ${JSON.stringify(id)}: privacy-kit incidents list shows them.`, EXIT_CODES.USAGE);
      out(ctx, flags.json === true, { incident }, () => `${incident.id}  ${incident.status}  known ${incident.knownAt}, deadline ${incident.deadline}\n${incident.title}\n${incident.events.map((e) => `  #${e.seq} ${e.time} ${e.kind}\n`).join('')}`);
      ctx.exit(EXIT_CODES.OK);
    }));

  storeOptions(incidents.command('scope').summary("compute from the audit log what an actor, a route or a window reached (an incident's, recorded on it; without an id, a look)").argument('[id]'))
    .option('--actor <pseudonym>', 'the actor (default: the alert\'s)')
    .option('--route <route>', "'METHOD /pattern'")
    .option('--from <iso>', 'start of the window')
    .option('--to <iso>', 'end of the window')
    .action(async (id: string | undefined, flags: StoreFlags & ScopeFilter) => withService(ctx, flags, async (service) => {
      const filter: ScopeFilter = { ...(flags.actor === undefined ? {} : { actor: flags.actor }), ...(flags.route === undefined ? {} : { route: flags.route }), ...(flags.from === undefined ? {} : { from: flags.from }), ...(flags.to === undefined ? {} : { to: flags.to }) };
      if (id === undefined && Object.keys(filter).length === 0) {
        throw new CliFailure('PK_INVALID_OPTION', 'incidents scope needs an incident id, or --actor, --route, --from or --to (as an alert\'s command gives them).', EXIT_CODES.USAGE);
      }
      const scope = id === undefined ? await service.preview(filter) : await service.scope(operator('scope'), id, Object.keys(filter).length === 0 ? undefined : filter);
      out(ctx, flags.json === true, { scope: { ...scope, subjectPseudonyms: undefined } }, () =>
        `${scope.subjects} subject(s), ${scope.records} access record(s)${scope.special ? ', special categories among them' : ''}\n${scope.categories.map((c) => `  ${c.category}: ${c.subjects} subject(s), ${c.records} record(s)\n`).join('')}`);
      ctx.exit(EXIT_CODES.OK);
    }));

  storeOptions(incidents.command('draft').summary("the Art. 33 notification draft (Markdown, or JSON with --json); the controller from privacy-kit.config.json").argument('<id>'))
    .action(async (id: string, flags: StoreFlags) => withService(ctx, flags, async (service) => {
      // The controller of the record of processing activities (privacy-kit.config.json) is the one the draft names.
      const controller = loadCliConfig({ cwd: ctx.cwd }).config.controller;
      const draft = await service.draft(id, controller);
      out(ctx, flags.json === true, draft.json, () => draft.markdown);
      ctx.exit(EXIT_CODES.OK);
    }));

  storeOptions(incidents.command('record').summary('append an event: note, assessment, status, authority-notified, subjects-notified').argument('<id>').argument('<kind>'))
    .option('--data <json>', 'the event\'s facts as JSON, e.g. \'{"status": "contained"}\'', '{}')
    .action(async (id: string, kind: string, flags: StoreFlags & { data: string }) => withService(ctx, flags, async (service) => {
      let data: unknown;
      try {
        data = JSON.parse(flags.data);
      } catch (error) {
        throw new CliFailure('PK_INVALID_OPTION', `--data must be a JSON object such as '{"text": "…"}': ${problemOf(error)}`, EXIT_CODES.USAGE, { cause: error });
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CliFailure('PK_INVALID_OPTION', '--data must be a JSON object.', EXIT_CODES.USAGE);
      const incident = await service.record(operator('record'), id, kind as IncidentEventKind, data as Record<string, unknown>);
      out(ctx, flags.json === true, { incident }, () => `✔ ${kind} recorded on ${incident.id} (status ${incident.status}).\n`);
      ctx.exit(EXIT_CODES.OK);
    }));
}
