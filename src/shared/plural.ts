/** A count and its noun, in the plural unless the count is 1: `1 page`, `2 pages`, `0 rows`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
