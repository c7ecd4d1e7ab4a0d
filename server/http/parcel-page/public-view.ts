/**
 * A parcel as the public may see it: every free text a planner typed (name, address, each step's
 * department and each document's title and number) with personal numbers masked, as every other
 * public or low-privilege output masks them, and no step note or recorder at all. The public page
 * renders only this view, so a phone number typed into a parcel's name never reaches /p/{code}.
 */
import type { ParcelDetail, ParcelStep } from '../../contract/parcels.ts';
import { maskNumbersInText } from '../../domain/incidents/masking.ts';

function publicStep(step: ParcelStep): ParcelStep {
  return {
    ...step,
    department: maskNumbersInText(step.department),
    documents: step.documents.map((d) => ({ ...d, title: maskNumbersInText(d.title), number: maskNumbersInText(d.number) })),
    // Never shown: who recorded the step and what they noted are not public.
    actor: { name: '', role: '' },
    note: null,
  };
}

export function publicParcel(parcel: ParcelDetail): ParcelDetail {
  const p = parcel.properties;
  return {
    ...parcel,
    properties: { ...p, name: maskNumbersInText(p.name), address: p.address === null ? null : maskNumbersInText(p.address) },
    steps: parcel.steps.map(publicStep),
  };
}
