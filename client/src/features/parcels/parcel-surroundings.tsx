/**
 * What lies within 500 m of a parcel: facilities by kind, open incidents, neighbouring parcels (a
 * click opens one) and residents. Distances are straight lines from the parcel's center, and say so.
 */
import { Category, type ParcelSurroundings as Surroundings } from '#contract/index.ts';
import { categoryKey, useI18n } from '../../i18n/i18n.ts';
import { formatDistance, groupFacilities } from './parcel-view-model.ts';
import { facilityKindName, landUseName, stageName, usePlannerText } from './strings.ts';
import { SURROUNDINGS_RADIUS_M, type SurroundingsState } from './use-parcel-detail.ts';

/** Rows per list: the nearest matter; the count says how many more there are. */
const FACILITIES_PER_KIND = 3;
const INCIDENTS_SHOWN = 5;
const PARCELS_SHOWN = 6;

function More({ total, shown }: { total: number; shown: number }) {
  const { t } = usePlannerText();
  return total > shown ? <li className="muted parcel-more">{t('around.more', { n: total - shown })}</li> : null;
}

function Lists({ surroundings, onOpen }: { surroundings: Surroundings; onOpen: (code: string) => void }) {
  const { t, lang } = usePlannerText();
  const { t: wallT } = useI18n();
  const groups = groupFacilities(surroundings.facilities);
  const incidentName = (incident: Surroundings['incidents'][number]) => {
    const category = Category.safeParse(incident.category);
    return incident.title || (category.success ? wallT(categoryKey(category.data)) : incident.category);
  };
  return (
    <>
      <h4>{t('around.facilities')}</h4>
      {groups.length === 0 ? (
        <p className="muted">{t('around.noFacilities')}</p>
      ) : (
        <dl className="parcel-facilities" data-testid="parcel-facilities">
          {groups.map((group) => (
            <div key={group.kind} data-kind={group.kind}>
              <dt>
                {facilityKindName(group.kind, t)} <span className="parcel-count">{group.facilities.length}</span>
              </dt>
              <dd>
                <ul>
                  {group.facilities.slice(0, FACILITIES_PER_KIND).map((facility) => (
                    <li key={facility.id}>
                      <span className="parcel-around-name">{facility.name}</span>
                      <span className="parcel-distance">{formatDistance(facility.distanceM, lang)}</span>
                    </li>
                  ))}
                  <More total={group.facilities.length} shown={FACILITIES_PER_KIND} />
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <h4>{t('around.incidents')}</h4>
      {surroundings.incidents.length === 0 ? (
        <p className="muted">{t('around.noIncidents')}</p>
      ) : (
        <ul className="parcel-around-list" data-testid="parcel-incidents">
          {surroundings.incidents.slice(0, INCIDENTS_SHOWN).map((incident) => (
            <li key={incident.id} data-severity={incident.severity}>
              <span className="parcel-around-name">{incidentName(incident)}</span>
              <span className="parcel-distance">{formatDistance(incident.distanceM, lang)}</span>
            </li>
          ))}
          <More total={surroundings.incidents.length} shown={INCIDENTS_SHOWN} />
        </ul>
      )}
      <h4>{t('around.parcels')}</h4>
      {surroundings.parcels.length === 0 ? (
        <p className="muted">{t('around.noParcels')}</p>
      ) : (
        <ul className="parcel-around-list" data-testid="parcel-neighbours">
          {surroundings.parcels.slice(0, PARCELS_SHOWN).map((parcel) => (
            <li key={parcel.code}>
              <button type="button" className="parcel-neighbour" onClick={() => onOpen(parcel.code)} title={parcel.code}>
                <span className="parcel-around-name">{parcel.name || parcel.code}</span>
                <span className="parcel-around-meta">
                  {landUseName(parcel.landUse, lang)} · {stageName(parcel.stage, lang)}
                  {parcel.hazardous && <span className="parcel-hazard-dot"> ⚠</span>}
                </span>
              </button>
              <span className="parcel-distance">{formatDistance(parcel.distanceM, lang)}</span>
            </li>
          ))}
          <More total={surroundings.parcels.length} shown={PARCELS_SHOWN} />
        </ul>
      )}
      <h4>{t('around.population')}</h4>
      <p className="parcel-population" data-testid="parcel-population">
        {surroundings.populationSource === null ? (
          <span className="muted">{t('around.populationNone')}</span>
        ) : (
          <>
            {Math.round(surroundings.population).toLocaleString(lang)}
            {surroundings.populationSource === 'synthetic' && <span className="parcel-synthetic-tag">{t('around.populationSynthetic')}</span>}
          </>
        )}
      </p>
    </>
  );
}

export function ParcelSurroundings({ state, onOpen }: { state: SurroundingsState; onOpen: (code: string) => void }) {
  const { t } = usePlannerText();
  return (
    <section className="parcel-section" data-testid="parcel-surroundings" data-phase={state.phase}>
      <h3>
        {t('around.heading', { radius: SURROUNDINGS_RADIUS_M })} <span className="parcel-note">· {t('around.straightLine')}</span>
      </h3>
      {state.phase === 'loading' && <p className="muted">{t('around.loading')}</p>}
      {state.phase === 'failed' && <p className="planner-message">{t('around.error', { message: state.message })}</p>}
      {state.phase === 'loaded' && <Lists surroundings={state.surroundings} onOpen={onOpen} />}
    </section>
  );
}
