/**
 * Bounded reads of shared data (house style rule 14). Anything in a workspace document was written
 * by some key holder's device and may be hostile: a value nested 10,000 levels deep is cheap to
 * store (Yjs keeps nested types flat), but every recursive reader — `toJSON()`, `JSON.stringify`,
 * a recursive walk — throws "Maximum call stack size exceeded" on it, and a huge string or array
 * makes every read slow. So values are turned into plain data here, iteratively and within limits
 * on depth, count and size, before anything validates or shows them; a value beyond a limit makes
 * its record damaged, never the workspace. See docs/PROTOCOL.md §3.
 */
import * as Y from 'yjs';

/** How much of a stored value a reader takes in before calling it damaged. */
export interface ReadLimits {
  /** Containers (maps, arrays, objects) nested inside each other; the value itself is level 0. */
  readonly depth: number;
  /** Values of every kind, containers included, counted over the whole value. */
  readonly nodes: number;
  /** Characters of every string and map key, and bytes of binary values, together. */
  readonly chars: number;
}

/**
 * Limits for one record (or one member, one awareness state). Records are shallow (a goal's
 * check-in is five levels down) and small (their text fields are capped far below this), so
 * these leave a wide margin for every valid record while keeping any single read to a few
 * milliseconds.
 */
export const RECORD_LIMITS: ReadLimits = { depth: 32, nodes: 200_000, chars: 10_000_000 };

/**
 * Limits for one device's awareness state (presence): a few short fields, refreshed every minute
 * and read on every change, so far smaller than a record's.
 */
export const AWARENESS_LIMITS: ReadLimits = { depth: 8, nodes: 1_000, chars: 20_000 };

/**
 * Stands for a value that has no plain form here (rich text, a sub-document, a class instance).
 * No schema of a record accepts it, so a record holding one where plain data belongs is damaged.
 */
export class UnreadableValue {
  constructor(readonly what: string) {}
}

export type BoundedRead =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

type Target = Record<string, unknown> | unknown[];

interface Pending {
  readonly source: object;
  readonly target: Target;
  readonly depth: number;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets `key` as an own property, also when it is `__proto__` (a key any peer may write). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else target[key] = value;
}

function describeLimit(limits: ReadLimits, which: keyof ReadLimits): string {
  switch (which) {
    case 'depth':
      return `the stored value is nested more than ${limits.depth} levels deep`;
    case 'nodes':
      return `the stored value holds more than ${limits.nodes.toLocaleString('en')} values`;
    case 'chars':
      return `the stored value holds more than ${limits.chars.toLocaleString('en')} characters`;
  }
}

/**
 * Converts a stored value — `Y.Map` (→ object), `Y.Array` (→ array) and the JSON values they
 * hold — into plain data, without recursion, stopping at the first limit exceeded. Other shared
 * types (`Y.Text`, rich text) and values without a plain form become an `UnreadableValue`. The result shares nothing mutable with the document.
 */
export function readBounded(value: unknown, limits: ReadLimits = RECORD_LIMITS): BoundedRead {
  let nodes = 0;
  let chars = 0;
  let exceeded: keyof ReadLimits | null = null;
  const pending: Pending[] = [];

  /** A plain leaf, or an empty container whose contents are read later from `pending`. */
  const convert = (from: unknown, depth: number): unknown => {
    if (++nodes > limits.nodes) exceeded ??= 'nodes';
    switch (typeof from) {
      case 'string':
        chars += from.length;
        if (chars > limits.chars) exceeded ??= 'chars';
        return from;
      case 'object':
        break;
      default:
        return from;
    }
    if (from === null) return null;
    if (from instanceof Uint8Array) {
      chars += from.length;
      if (chars > limits.chars) exceeded ??= 'chars';
      return from.slice();
    }
    let target: Target;
    if (from instanceof Y.Map) target = {};
    else if (from instanceof Y.Array || Array.isArray(from)) target = [];
    else if (from instanceof Y.AbstractType)
      // Outpost stores text as plain strings; a Y.Text or rich text where plain data belongs is
      // damage, not a string to accept.
      return new UnreadableValue(from.constructor.name);
    else if (isPlainObject(from)) target = {};
    else return new UnreadableValue(from.constructor?.name ?? 'object');
    if (depth >= limits.depth) {
      exceeded ??= 'depth';
      return target;
    }
    pending.push({ source: from, target, depth: depth + 1 });
    return target;
  };

  const result = convert(value, 0);
  while (exceeded === null) {
    const next = pending.pop();
    if (!next) break;
    const { source, target, depth } = next;
    if (source instanceof Y.Map) {
      const into = target as Record<string, unknown>;
      for (const [key, child] of source.entries() as IterableIterator<[string, unknown]>) {
        chars += key.length;
        put(into, key, convert(child, depth));
        if (exceeded !== null) break;
      }
      if (chars > limits.chars) exceeded ??= 'chars';
    } else if (source instanceof Y.Array || Array.isArray(source)) {
      const length = source.length;
      // Counted before anything is copied, so a huge array costs nothing to refuse.
      if (nodes + length > limits.nodes) {
        exceeded = 'nodes';
        break;
      }
      const items: readonly unknown[] = source instanceof Y.Array ? source.toArray() : source;
      const into = target as unknown[];
      for (const child of items) {
        into.push(convert(child, depth));
        if (exceeded !== null) break;
      }
    } else {
      const into = target as Record<string, unknown>;
      for (const key in source) {
        if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
        chars += key.length;
        put(into, key, convert((source as Record<string, unknown>)[key], depth));
        if (exceeded !== null) break;
      }
      if (chars > limits.chars) exceeded ??= 'chars';
    }
  }
  return exceeded === null
    ? { ok: true, value: result }
    : { ok: false, problem: describeLimit(limits, exceeded) };
}

type Frame =
  | { readonly close: '}'; readonly entries: Iterator<[string, unknown]>; first: boolean }
  | { readonly close: ']'; readonly items: Iterator<unknown>; first: boolean };

function* ownEntries(object: object): Generator<[string, unknown]> {
  for (const key in object) {
    if (Object.prototype.hasOwnProperty.call(object, key))
      yield [key, (object as Record<string, unknown>)[key]];
  }
}

/**
 * The start of a JSON rendering of a stored value, about `maxChars` long, for the damaged-record
 * notice: written without recursion and stopping as soon as it is long enough, so a value nested
 * 10,000 levels deep, a 100 MB string or a million-entry map costs no more than a short one.
 * Returns the text and whether it was cut.
 */
export function previewJson(value: unknown, maxChars: number): { text: string; cut: boolean } {
  let out = '';
  const stack: Frame[] = [];
  const full = () => out.length > maxChars;

  const leaf = (from: unknown): void => {
    if (typeof from === 'string') {
      out += JSON.stringify(from.length > maxChars ? from.slice(0, maxChars) : from);
      return;
    }
    if (typeof from === 'number' || typeof from === 'boolean' || from === null) {
      out += JSON.stringify(from);
      return;
    }
    if (typeof from !== 'object') {
      out += from === undefined ? 'undefined' : JSON.stringify(String(from));
      return;
    }
    if (from instanceof Y.Map) {
      out += '{';
      stack.push({
        close: '}',
        entries: from.entries() as IterableIterator<[string, unknown]>,
        first: true,
      });
    } else if (from instanceof Y.Array) {
      out += '[';
      // Every item takes at least one character, so no more than this many can show.
      stack.push({ close: ']', items: from.slice(0, maxChars).values(), first: true });
    } else if (Array.isArray(from)) {
      out += '[';
      stack.push({ close: ']', items: from.slice(0, maxChars).values(), first: true });
    } else if (from instanceof Y.AbstractType) {
      out += `"<${from.constructor.name}>"`;
    } else if (from instanceof UnreadableValue) {
      out += `"<${from.what}>"`;
    } else if (from instanceof Uint8Array) {
      out += `"<${from.length} bytes>"`;
    } else {
      out += '{';
      stack.push({ close: '}', entries: ownEntries(from), first: true });
    }
  };

  leaf(value);
  while (stack.length > 0 && !full()) {
    const frame = stack[stack.length - 1]!;
    if (frame.close === '}') {
      const next = frame.entries.next();
      if (next.done) {
        out += '}';
        stack.pop();
        continue;
      }
      const [key, child] = next.value;
      out += `${frame.first ? '' : ','}${JSON.stringify(key.length > maxChars ? key.slice(0, maxChars) : key)}:`;
      frame.first = false;
      leaf(child);
    } else {
      const next = frame.items.next();
      if (next.done) {
        out += ']';
        stack.pop();
        continue;
      }
      if (!frame.first) out += ',';
      frame.first = false;
      leaf(next.value);
    }
  }
  return full() ? { text: out.slice(0, maxChars), cut: true } : { text: out, cut: false };
}
