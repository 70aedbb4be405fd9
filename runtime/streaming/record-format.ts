/** How print() and writeAsText() render a record: strings as they are, objects and arrays as JSON. */
export function formatRecord(record: unknown): string {
  if (typeof record === 'string') return record;
  if (typeof record === 'object' && record !== null) return JSON.stringify(record);
  return String(record);
}
