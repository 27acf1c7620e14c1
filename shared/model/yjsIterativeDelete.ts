/**
 * Makes Yjs delete and garbage-collect nested types without recursion. Yjs's own
 * `ContentType.delete` and `ContentType.gc` call themselves once per level of nesting (through
 * `Item.delete` / `Item.gc`), so deleting a value a peer nested 10,000 levels deep — a later update
 * from that peer, or this person purging the damaged record — overflows the stack. Inside a
 * transaction's clean-up that throws out of loading, so such a pair of updates would stop the
 * workspace from opening on every device (docs/PROTOCOL.md §3.1).
 *
 * The fix keeps Yjs's own code and only changes when nested types are processed: a call made
 * while another is running is queued and run by the outermost call, in a loop, before it returns.
 * Each type's deletion or collection touches only its own items, so the order does not matter,
 * and everything is done when the outermost call returns, as before. Idempotent; imported by the
 * modules that apply or write updates (the model, stored-row loading, peer sync).
 */
import * as Y from 'yjs';

type Method = (this: Y.ContentType, arg: unknown) => void;

const PATCHED = Symbol.for('outpost.yjsIterativeDelete');

function trampoline(original: Method): Method {
  let queue: Array<[Y.ContentType, unknown]> | null = null;
  return function (this: Y.ContentType, arg: unknown) {
    if (queue) {
      queue.push([this, arg]);
      return;
    }
    queue = [[this, arg]];
    try {
      for (let next = queue.pop(); next; next = queue.pop()) original.call(next[0], next[1]);
    } finally {
      queue = null;
    }
  };
}

const proto = Y.ContentType.prototype as unknown as Record<string | symbol, unknown>;
if (!proto[PATCHED]) {
  proto[PATCHED] = true;
  proto.delete = trampoline(proto.delete as Method);
  proto.gc = trampoline(proto.gc as Method);
}
