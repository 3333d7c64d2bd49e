import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '@privacy-kit/core';
import { HANDLER_TARGET_KEY, LOCATE_HOLDER_KEY } from '../symbols';

/** This package's code (built and, through source maps, source): a location there is a wrapper, not the app's handler. */
const OWN_CODE = [...new Set([resolve(__dirname, '..'), resolve(__dirname, '..', '..', 'src')])].map((dir) => dir + sep);

interface RemoteObject { readonly objectId?: string; readonly type?: string; readonly subtype?: string }
interface PropertyDescriptor { readonly name: string; readonly value?: RemoteObject & { readonly value?: unknown } }
interface InternalLocation { readonly scriptId: string; readonly lineNumber: number; readonly columnNumber: number }

/** Posts a command on a same-thread inspector session; such sessions answer synchronously. */
function post<T>(session: Session, method: string, params: object = {}): T | undefined {
  let result: T | undefined;
  let failure: unknown;
  (session.post as (m: string, p: object, cb: (err: Error | null, res: T) => void) => void)(method, params, (err, res) => {
    if (err) failure = err;
    else result = res;
  });
  if (failure !== undefined) return undefined;
  return result;
}

function toPath(url: string): string {
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

function display(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel.split(sep).join('/');
}

/** The handler a wrapper stands for, when it says so. */
export function handlerTarget(fn: Function): Function {
  const target = (fn as unknown as Record<symbol, unknown>)[HANDLER_TARGET_KEY];
  return typeof target === 'function' ? target : fn;
}

/**
 * Where each function is defined, through the in-process inspector (V8's `[[FunctionLocation]]`), mapped through
 * source maps when the process has them enabled (`process.setSourceMapsEnabled(true)`, tsx, `--enable-source-maps`).
 * Returns null for a function that cannot be located (native, no inspector, or a wrapper of this package that
 * does not name its target through `HANDLER_TARGET_KEY`). Paths are relative to `cwd`
 * when inside it. The debugger is enabled only for the duration of the call.
 *
 * @param functions - the functions to locate
 * @param cwd - paths are shown relative to this folder
 */
export function locateFunctions(functions: readonly Function[], cwd: string = process.cwd()): (SourceLocation | null)[] {
  const out: (SourceLocation | null)[] = functions.map(() => null);
  if (functions.length === 0) return out;
  const holder = globalThis as unknown as Record<symbol, unknown>;
  let session: Session | undefined;
  try {
    session = new Session();
    session.connect();
    const scripts = new Map<string, string>();
    const contexts: number[] = [];
    session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => scripts.set(m.params.scriptId, m.params.url));
    session.on('Runtime.executionContextCreated', (m: { params: { context: { id: number } } }) => contexts.push(m.params.context.id));
    holder[LOCATE_HOLDER_KEY] = functions.map(handlerTarget);
    post(session, 'Runtime.enable');
    post(session, 'Debugger.enable');
    const expression = `globalThis[Symbol.for(${JSON.stringify(Symbol.keyFor(LOCATE_HOLDER_KEY))})]`;
    // The functions live in this module's realm; under a test runner that may be a vm context, not the main one.
    let array: RemoteObject | undefined;
    for (const contextId of [undefined, ...contexts]) {
      const evaluated = post<{ result: RemoteObject }>(session, 'Runtime.evaluate', contextId === undefined ? { expression } : { expression, contextId });
      if (evaluated?.result.subtype === 'array' && evaluated.result.objectId !== undefined) {
        array = evaluated.result;
        break;
      }
    }
    if (array?.objectId === undefined) return out;
    const elements = post<{ result: PropertyDescriptor[] }>(session, 'Runtime.getProperties', { objectId: array.objectId, ownProperties: true })?.result ?? [];
    for (const element of elements) {
      const index = Number(element.name);
      if (!Number.isInteger(index) || element.value?.objectId === undefined) continue;
      let objectId: string | undefined = element.value.objectId;
      let location: InternalLocation | undefined;
      // Bound functions: follow [[TargetFunction]] (at most a few hops).
      for (let hop = 0; hop < 4 && objectId !== undefined && location === undefined; hop++) {
        const props: { internalProperties?: PropertyDescriptor[] } | undefined = post(session, 'Runtime.getProperties', { objectId, ownProperties: true });
        const internal: PropertyDescriptor[] = props?.internalProperties ?? [];
        location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as InternalLocation | undefined;
        objectId = internal.find((p) => p.name === '[[TargetFunction]]')?.value?.objectId;
      }
      if (location === undefined) continue;
      const url = scripts.get(location.scriptId);
      if (url === undefined || url === '' || url.startsWith('node:')) continue;
      let file = toPath(url);
      let line = location.lineNumber;
      let column = location.columnNumber;
      const map = findSourceMap(file);
      const entry: { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined = map?.findEntry(line, column);
      if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
        file = toPath(entry.originalSource);
        line = entry.originalLine;
        column = entry.originalColumn ?? 0;
      }
      if (OWN_CODE.some((dir) => file.startsWith(dir))) continue;
      out[index] = { file: display(file, cwd), line: line + 1, column: column + 1 };
    }
    return out;
  } catch {
    return out;
  } finally {
    delete holder[LOCATE_HOLDER_KEY];
    if (session !== undefined) {
      post(session, 'Debugger.disable');
      post(session, 'Runtime.disable');
      session.disconnect();
    }
  }
}
