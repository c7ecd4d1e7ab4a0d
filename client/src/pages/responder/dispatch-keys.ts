/**
 * The keys of the unit picker (the ranked recommendation): ↑/↓ move the choice (stopping at the
 * ends, as the queue does), Home/End jump to the first and last, Enter sends the chosen unit, Esc
 * closes. Every other key does nothing while the picker is open.
 */
export type PickerAction = 'assign' | 'close' | null;

export function pickerKey(cursor: number, count: number, key: string): { cursor: number; action: PickerAction } {
  const last = Math.max(0, count - 1);
  const at = Math.min(Math.max(0, cursor), last);
  switch (key) {
    case 'ArrowDown':
      return { cursor: Math.min(last, at + 1), action: null };
    case 'ArrowUp':
      return { cursor: Math.max(0, at - 1), action: null };
    case 'Home':
      return { cursor: 0, action: null };
    case 'End':
      return { cursor: last, action: null };
    case 'Enter':
      return { cursor: at, action: count > 0 ? 'assign' : null };
    case 'Escape':
      return { cursor: at, action: 'close' };
    default:
      return { cursor: at, action: null };
  }
}
