/** A WHERE clause built condition by condition, its values numbered $1, $2, … in the order given. */
export interface SqlFilter {
  readonly params: unknown[];
  /** The placeholder for `value`, which joins the parameters. */
  param(value: unknown): string;
  where(condition: string): void;
  /** `WHERE a AND b …`, or nothing when no condition was added. */
  clause(): string;
}

export function sqlFilter(): SqlFilter {
  const conditions: string[] = [];
  const params: unknown[] = [];
  return {
    params,
    param(value) {
      params.push(value);
      return `$${params.length}`;
    },
    where(condition) {
      conditions.push(condition);
    },
    clause: () => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''),
  };
}
