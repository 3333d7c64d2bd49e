import { readFileSync } from 'node:fs';

/** The lines an edit added and removed, paired where an added line replaced a removed one. */
export interface LineChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Line diff of two texts by longest common subsequence (fixtures are small). */
export function lineChange(beforeFile: string, afterFile: string): LineChange {
  const a = readFileSync(beforeFile, 'utf8').split('\n');
  const b = readFileSync(afterFile, 'utf8').split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const added: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      added.push(b[j++] as string);
    } else {
      removed.push(a[i++] as string);
    }
  }
  return { added, removed };
}

/** A twin put in front of a route's handler, as the README shows it: `personalData({ ... }), `. */
const TWIN = /personalData\(\{[^]*?\}\), /;

/**
 * Sorts an adoption edit into the README's kinds of change: the import from 'privacy-kit', the `app.use(privacy(...))`
 * line, and route lines that only gained a twin (the removed line is the added one without its twin). Anything
 * else is returned in `other`.
 */
export function adoptionLines(change: LineChange): { imports: string[]; mounts: string[]; twinned: string[]; other: string[] } {
  const imports: string[] = [];
  const mounts: string[] = [];
  const twinned: string[] = [];
  const other: string[] = [];
  const removed = [...change.removed];
  for (const line of change.added) {
    if (/^import \{ privacy, personalData \} from 'privacy-kit';$/.test(line)) imports.push(line);
    else if (/^\s*app\.use\(privacy\((\{.*\})?\)\);$/.test(line)) mounts.push(line);
    else if (TWIN.test(line) && removed.includes(line.replace(TWIN, ''))) {
      removed.splice(removed.indexOf(line.replace(TWIN, '')), 1);
      twinned.push(line);
    } else other.push(line);
  }
  return { imports, mounts, twinned, other: [...other, ...removed.map((line) => `(removed) ${line}`)] };
}
