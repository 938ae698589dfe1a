// Default double formatting: `inf`, `-inf`, `nan`, otherwise the shortest JS form (`1`, `1.5`, `1e+21`), `-0` kept.

/** Formats a double the way the encoder writes it by default. */
export function formatDouble(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value !== value) return 'nan';
  if (value === 0 && 1 / value < 0) return '-0';
  return String(value);
}
