/**
 * A small memo for derived data whose key names every input (immutable version ids, dates),
 * so an entry never needs invalidating; the oldest entries go once `limit` is reached.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): V {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  getOrCreate(key: string, create: () => V): V {
    const found = this.entries.get(key);
    return found !== undefined ? found : this.set(key, create());
  }
}
