/** The workflow status as a coloured badge; colours differ from the severity palette on purpose. */
import type { Status } from '#contract/index.ts';
import { statusKey, useI18n } from '../../i18n/i18n.ts';

/**
 * Amber still waits for someone; blue and violet are being handled; green done; grey set aside by
 * an operator; sand withdrawn by the source (dashed, see the stylesheet: nobody here decided it).
 */
export const STATUS_COLOURS: Record<Status, string> = {
  reported: '#f2c14e',
  acknowledged: '#6cb4e4',
  dispatched: '#a58cff',
  resolved: '#3bb273',
  rejected: '#8fa3bb',
  cancelled: '#c8b08a',
};

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <span className="status-badge" data-testid="status-badge" data-status={status} style={{ color: STATUS_COLOURS[status] }}>
      {t(statusKey(status))}
    </span>
  );
}
