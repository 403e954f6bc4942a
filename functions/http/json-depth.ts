/**
 * The deepest nesting a free-form JSON input (a run's `metadata`) may have. Storing a value
 * serializes it, and `JSON.stringify` recurses: a few thousand levels, well inside the body limit,
 * overflow the stack. No real metadata comes near this depth.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `value` nests at most `max` levels of objects and arrays (a flat object is 1). Walked
 * with an explicit stack, so judging a hostile value cannot overflow the stack either.
 */
export function withinJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return false;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return true;
}
