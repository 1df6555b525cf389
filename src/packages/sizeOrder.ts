/**
 * Package rows by size, once Storage… has measured their versions: largest first, rows whose
 * size is not (wholly) known after them in their usual order.
 */

interface Version {
  readonly id: number;
  readonly status?: string;
}

/**
 * Bytes of a package's versions, or undefined unless every counted version was measured.
 * Versions pending destruction are never measured (Storage… skips them) and count nothing.
 */
export function packageSize(versions: readonly Version[], sizeOf: (id: number) => number | undefined): number | undefined {
  let total = 0;
  let measured = 0;
  for (const v of versions) {
    if (v.status === 'pending_destruction') continue;
    const size = sizeOf(v.id);
    if (size === undefined) return undefined;
    total += size;
    measured++;
  }
  return measured > 0 ? total : undefined;
}

/** Rows largest first (ties keep their order); the same array when no size is known at all. */
export function largestFirst<T extends { readonly versions: readonly Version[] }>(rows: readonly T[], sizeOf: (id: number) => number | undefined): readonly T[] {
  const sized = rows.map((row, i) => ({ row, i, size: packageSize(row.versions, sizeOf) }));
  if (!sized.some((s) => s.size !== undefined)) return rows;
  sized.sort((a, b) => {
    if (a.size === undefined || b.size === undefined) return a.size === b.size ? a.i - b.i : a.size === undefined ? 1 : -1;
    return b.size - a.size || a.i - b.i;
  });
  return sized.map((s) => s.row);
}
