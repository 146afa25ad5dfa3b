/**
 * A memo for long-running processes (batch workers render hundreds of documents): it keeps what
 * recent documents used and lets the rest go, so its memory stays flat however many documents pass.
 *
 * Two generations: entries go into the current one; when it weighs `limit` (entries, or what
 * `weigh` says an entry weighs) it becomes the previous one and the one before is dropped. A hit in
 * the previous generation moves the entry forward, so what every document uses (template sentences,
 * common words) stays, and what one document used (its unit's name, its amounts) is gone two
 * generations later. At most about 2 × limit; no per-entry bookkeeping, unlike a strict LRU.
 *
 * String keys are stored as copies of their own: V8 represents a substring as a view into the
 * text it was cut from, so a cached amount cut from a data file would keep that whole file alive.
 */
export class RecentCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private currentWeight = 0;

  constructor(
    private readonly limit: number,
    private readonly weigh: (key: K, value: V) => number = () => 1,
  ) {
    if (!(limit >= 1)) throw new Error(`RecentCache: limit must be at least 1, not ${limit}`);
  }

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const older = this.previous.get(key);
    if (older !== undefined) {
      this.previous.delete(key);
      this.store(key, older);
    }
    return older;
  }

  set(key: K, value: V): void {
    this.store(typeof key === 'string' ? (detachedCopy(key) as K) : key, value);
  }

  /** Entries held, both generations. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private store(key: K, value: V): void {
    if (this.currentWeight >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
      this.currentWeight = 0;
    }
    this.current.set(key, value);
    this.currentWeight += this.weigh(key, value);
  }
}

/** A copy of `text` that shares no memory with the string it was cut from (flattening a concatenation makes a new string). */
function detachedCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * One RecentCache per owner (a font), made when the owner is first asked for: what each font
 * measured or shaped stays across documents and goes with the font.
 */
export class RecentCachePerOwner<O extends object, K, V> {
  private readonly caches = new WeakMap<O, RecentCache<K, V>>();

  constructor(
    private readonly limit: number,
    private readonly weigh?: (key: K, value: V) => number,
  ) {}

  for(owner: O): RecentCache<K, V> {
    let cache = this.caches.get(owner);
    if (!cache) {
      cache = new RecentCache(this.limit, this.weigh);
      this.caches.set(owner, cache);
    }
    return cache;
  }
}
