/** A unit's status, as the units register keeps it. */
export type UnitStatus = 'available' | 'assigned' | 'en_route' | 'on_scene' | 'returning' | 'out_of_service';
