/**
 * Replaces the `setimmediate` polyfill (1.7 KB) that rdf-canonize's browser platform requires
 * for the one thing it uses it for: `setImmediate(resolve)`, a turn of the event loop during a
 * long canonicalisation. A MessageChannel message is such a turn (a task, not a microtask).
 */
if (typeof globalThis.setImmediate !== 'function') {
  globalThis.setImmediate = (fn, ...args) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      fn(...args);
    };
    channel.port2.postMessage(0);
  };
}
