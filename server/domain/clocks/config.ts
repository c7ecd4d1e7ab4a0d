/** The built-in clock targets, in force until an administrator saves others (docs/domain.md §15.2). */
import type { SlaConfig } from '../../contract/sla.ts';

const MINUTE = 60;
const HOUR = 3600;
const WORKING_DAY = 8 * HOUR;

/**
 * Emergencies: minutes to acknowledge, dispatch and arrive, a day to resolve; severe and extreme
 * ones faster. 12345 hotline appeals follow office hours: an hour to acknowledge, hand over within
 * one working day, resolve within five (the hotline's usual 5-working-day reply); nobody is
 * expected on scene, so they have no arrive clock.
 */
export function defaultSlaConfig(timeZone: string): SlaConfig {
  return {
    version: 1,
    workingHours: { timeZone, weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    default: { ackWithin: 5 * MINUTE, dispatchWithin: 15 * MINUTE, arriveWithin: 30 * MINUTE, resolveWithin: 24 * HOUR },
    overrides: [
      { severity: 'severe', ackWithin: 2 * MINUTE, dispatchWithin: 5 * MINUTE, arriveWithin: 15 * MINUTE, resolveWithin: 12 * HOUR },
      { severity: 'extreme', ackWithin: MINUTE, dispatchWithin: 3 * MINUTE, arriveWithin: 12 * MINUTE, resolveWithin: 6 * HOUR },
      {
        category: 'hotline',
        ackWithin: HOUR,
        dispatchWithin: WORKING_DAY,
        resolveWithin: 5 * WORKING_DAY,
        workingHours: ['dispatch', 'resolve'],
      },
    ],
  };
}
