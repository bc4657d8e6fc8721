/*
 * A small LRU cache with the `get` / `set` / `has` / `delete` / `clear` API
 * that jsonld.js uses from lru-cache@6, for the bundle.
 */
'use strict';
module.exports = class LRU {
  constructor(options = {}) {
    this.max = (typeof options === 'number' ? options : options.max) || Infinity;
    this.map = new Map();
  }
  get(key) {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
    return true;
  }
  has(key) {
    return this.map.has(key);
  }
  delete(key) {
    return this.map.delete(key);
  }
  clear() {
    this.map.clear();
  }
  get length() {
    return this.map.size;
  }
};
