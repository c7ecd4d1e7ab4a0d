/**
 * What an incident's status and drill flag mean for the screens, in one place: every count, queue,
 * ticker and faded dot asks here, so a status the contract adds (as `cancelled` was) is closed
 * everywhere at once rather than in whichever copy of the rule someone remembered.
 */
import { FINAL_STATUSES, type Incident, type IncidentPatch, type Status } from '#contract/index.ts';

/** The statuses an operator may choose (`PATCH`): `cancelled` is the source's word only. */
export type OperatorStatus = IncidentPatch['status'];
/** The steps an operator takes from `reported` on: the buttons. */
export type OperatorStep = Exclude<OperatorStatus, 'reported'>;

/** Resolved, rejected or cancelled: nothing more happens to it, and it counts as handled. */
export const isClosedStatus = (status: Status): boolean => FINAL_STATUSES.has(status);
export const isClosed = (incident: Pick<Incident, 'status'>): boolean => isClosedStatus(incident.status);
/** Still being handled: reported, acknowledged or dispatched. */
export const isOpen = (incident: Pick<Incident, 'status'>): boolean => !isClosedStatus(incident.status);

/**
 * An exercise, test, draft or system message: listed in the drill view only, never counted. A
 * server from before the flag sends no `drill` at all, which means a real incident.
 */
export const isDrill = (incident: { readonly drill?: boolean | undefined }): boolean => incident.drill === true;

/** A step an operator may take next from `status` (never to `cancelled`, which only a feed sets). */
export const isOperatorStep = (status: Status): status is OperatorStep => status !== 'reported' && status !== 'cancelled';
