import type { ValidationError } from 'class-validator';
import { isPrivacyKitError } from '@privacy-kit/core';
import { expressError } from '../errors';
import { classValidator } from '../on-demand';
import type { PatchProblem } from '../sources/data-source';
import type { DataSourceRegistry, RegisteredSource } from '../sources/data-source.registry';

/** One problem of a request body, named by its property path. */
export interface BodyProblem {
  readonly property: string;
  readonly messages: readonly string[];
}

/** The outcome of checking a rectification body. */
export type RectificationCheck =
  | { readonly ok: true; readonly source: RegisteredSource; readonly patch: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly problems: readonly BodyProblem[] };

const EXAMPLE = '{"source": "users", "patch": {"email": "new@example.com"}}';
const SAFE_NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/;

/** A name taken from the body, echoed only when it is short and plain (never a value someone pasted in by mistake). */
function shown(name: string): string {
  return SAFE_NAME.test(name) ? `'${name}'` : '(the given name)';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagesOf(error: ValidationError): string[] {
  return [...Object.values(error.constraints ?? {}), ...(error.children ?? []).flatMap(messagesOf)];
}

function isPatchProblem(value: unknown): value is PatchProblem {
  if (typeof value !== 'object' || value === null) return false;
  const { property, messages } = value as Record<string, unknown>;
  return typeof property === 'string' && Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === 'string' && m !== '');
}

/** The problems the class-validator rules of the source's model find in the accepted fields. */
async function modelProblems(source: RegisteredSource, patch: Readonly<Record<string, unknown>>): Promise<BodyProblem[]> {
  const modelName = source.source.model.name || 'the model';
  // Validate against the model without running its constructor; only the patched properties are present.
  const candidate = Object.create(source.source.model.prototype as object) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) Object.defineProperty(candidate, key, { value, enumerable: true, writable: true, configurable: true });
  const errors = await classValidator().validate(candidate, {
    skipUndefinedProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  return errors.filter((error) => Object.hasOwn(patch, error.property)).map((error) => {
    const messages = messagesOf(error);
    return { property: `patch.${error.property}`, messages: messages.length > 0 ? messages : [`'${error.property}' is not valid for ${modelName}`] };
  });
}

/**
 * The problems the source's `validate(patch)` returns, under `patch.`. A validate that throws or answers something
 * else than a list of problems is a failing source (`PK_SOURCE_FAILED`, without the error's possibly personal text).
 */
async function sourceProblems(source: RegisteredSource, check: NonNullable<RegisteredSource['source']['validate']>, patch: Readonly<Record<string, unknown>>): Promise<BodyProblem[]> {
  let answer: unknown;
  try {
    answer = await check({ ...patch });
  } catch (cause) {
    if (isPrivacyKitError(cause, 'PK_SOURCE_FAILED')) throw cause;
    const name = cause instanceof Error ? cause.name : typeof cause;
    throw expressError('PK_SOURCE_FAILED', `validate() of source '${source.name}' failed (${name}); the error was passed on as the cause. Nothing was changed.`, { cause });
  }
  if (!Array.isArray(answer) || !answer.every(isPatchProblem)) {
    const what = Array.isArray(answer) ? 'a list with an entry that is not { property: string, messages: [string, ...] }' : typeof answer;
    throw expressError('PK_SOURCE_FAILED', `validate() of source '${source.name}' returned ${what}; return a list of { property, messages } (an empty list when the patch is valid).`);
  }
  return answer.map((problem) => ({
    property: problem.property === '' ? 'patch' : SAFE_NAME.test(problem.property) ? `patch.${problem.property}` : 'patch.(unknown field)',
    messages: [...problem.messages],
  }));
}

/**
 * Checks `{ source, patch }` completely before anything is changed: the source exists and can be rectified, the
 * patch only names personal fields the person may correct, and every value passes the source's `validate(patch)`
 * (or, without one, the model's class-validator rules). Returns every problem found, not just the first. Throws a
 * `PK_SOURCE_FAILED` error when the source's `validate` fails.
 *
 * @param body - the parsed JSON body
 * @param sources - the app's data sources
 */
export async function checkRectification(body: unknown, sources: DataSourceRegistry): Promise<RectificationCheck> {
  if (!isPlainObject(body)) {
    return { ok: false, problems: [{ property: '(body)', messages: [`the body must be a JSON object such as ${EXAMPLE}`] }] };
  }
  const problems: BodyProblem[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'source' && key !== 'patch') problems.push({ property: SAFE_NAME.test(key) ? key : '(unknown property)', messages: [`${shown(key)} is not allowed; send only "source" and "patch"`] });
  }
  const known = sources.list().map((s) => s.name);
  let registered: RegisteredSource | undefined;
  if (typeof body.source !== 'string' || body.source === '') {
    problems.push({ property: 'source', messages: [`source must name a data source, one of: ${known.join(', ') || '(none registered)'}`] });
  } else {
    registered = sources.get(body.source);
    if (registered === undefined) {
      problems.push({ property: 'source', messages: [`unknown source ${shown(body.source)}; known sources: ${known.join(', ') || '(none registered)'}`] });
    } else if (registered.source.rectify === undefined && !registered.manual) {
      problems.push({ property: 'source', messages: [`source '${registered.name}' cannot be rectified through this API`] });
      registered = undefined;
    }
  }
  const patch = body.patch;
  if (!isPlainObject(patch) || Object.keys(patch).length === 0) {
    problems.push({ property: 'patch', messages: [`patch must be a non-empty object of the fields to correct, e.g. ${EXAMPLE}`] });
    return { ok: false, problems };
  }
  if (registered === undefined) return { ok: false, problems };

  const accepted: string[] = [];
  for (const key of Object.keys(patch)) {
    const property = SAFE_NAME.test(key) ? `patch.${key}` : 'patch.(unknown field)';
    if (!registered.fields.has(key)) {
      problems.push({ property, messages: [`${shown(key)} is not a personal data field of source '${registered.name}'`] });
    } else if (!registered.rectifiable.has(key)) {
      problems.push({ property, messages: [`'${key}' cannot be corrected through this API`] });
    } else {
      accepted.push(key);
    }
  }
  const checked = Object.fromEntries(accepted.map((key) => [key, patch[key]]));
  const check = registered.source.validate;
  if (accepted.length > 0) problems.push(...(check === undefined ? await modelProblems(registered, checked) : await sourceProblems(registered, check, checked)));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, source: registered, patch: checked };
}
