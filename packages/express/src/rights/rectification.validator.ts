import { validate, type ValidationError } from 'class-validator';
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

/**
 * Checks `{ source, patch }` completely before anything is changed: the source exists and can be rectified, the
 * patch only names personal fields the person may correct, and every value passes the model's class-validator
 * rules. Returns every problem found, not just the first.
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

  const modelName = registered.source.model.name || 'the model';
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
  // Validate against the model without running its constructor; only the patched properties are present.
  const candidate = Object.create(registered.source.model.prototype as object) as Record<string, unknown>;
  for (const key of accepted) Object.defineProperty(candidate, key, { value: patch[key], enumerable: true, writable: true, configurable: true });
  const errors = await validate(candidate, {
    skipUndefinedProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  for (const error of errors) {
    if (!accepted.includes(error.property)) continue;
    const messages = messagesOf(error);
    problems.push({ property: `patch.${error.property}`, messages: messages.length > 0 ? messages : [`'${error.property}' is not valid for ${modelName}`] });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, source: registered, patch: Object.fromEntries(accepted.map((key) => [key, patch[key]])) };
}
