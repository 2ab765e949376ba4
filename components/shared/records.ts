/** A record with one entry per key: `recordOf(["a", "b"], f)` is `{ a: f("a"), b: f("b") }`. */
export function recordOf<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
    return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

/** The same record with each value mapped. */
export function mapRecord<K extends string, V, R>(record: Readonly<Record<K, V>>, fn: (value: V) => R): Record<K, R> {
    return recordOf(Object.keys(record) as K[], (key) => fn(record[key]));
}
