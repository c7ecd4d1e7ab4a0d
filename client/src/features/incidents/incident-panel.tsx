/**
 * The side panel: the incident list and, below it, the card of the opened incident. Owns the
 * filter and the keyboard (↑/↓ select, Enter open, Esc close); selection lives in the app, because
 * the map rings the selected dot too.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Incident, Role } from '#contract/index.ts';
import { IncidentDetail } from './incident-detail.tsx';
import { DEFAULT_FILTER, filterIncidents, stepSelection, type IncidentFilter } from './incident-filter.ts';
import { IncidentList } from './incident-list.tsx';
import './incident-panel.css';
import { isTyping } from '../../shell/use-shortcut.ts';

/** Rows rendered: a wall shows a screenful, a desk scrolls a little; thousands would only cost. */
const LIST_LIMIT = 100;

export interface IncidentPanelProps {
  /** Newest first. */
  incidents: readonly Incident[];
  regionNames: ReadonlyMap<string, string>;
  loading: boolean;
  role: Role | null;
  selected: Incident | null;
  detailOpen: boolean;
  onSelect: (id: string | null, open: boolean) => void;
  onHover: (id: string | null) => void;
  onChanged: (incident: Incident) => void;
}

export function IncidentPanel(props: IncidentPanelProps) {
  const { incidents, selected, detailOpen, onSelect } = props;
  const [filter, setFilter] = useState<IncidentFilter>(DEFAULT_FILTER);
  const { shown, total } = useMemo(() => filterIncidents(incidents, filter, LIST_LIMIT), [incidents, filter]);

  // The handler reads the latest list and selection through a ref, so it is registered once.
  const latest = useRef({ shown, selected, detailOpen, onSelect });
  latest.current = { shown, selected, detailOpen, onSelect };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const { shown, selected, detailOpen, onSelect } = latest.current;
      const current = selected?.id ?? null;
      if (event.key === 'Escape') {
        if (detailOpen) onSelect(current, false);
        else if (current) onSelect(null, false);
        return;
      }
      if (isTyping(event.target)) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault(); // not the page's nor the map's scrolling
        const ids = shown.map((i) => i.id);
        onSelect(stepSelection(ids, current, event.key === 'ArrowDown' ? 1 : -1), detailOpen);
      } else if (event.key === 'Enter' && current && !(event.target instanceof HTMLButtonElement)) {
        onSelect(current, true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const regionName = selected?.regionCode ? (props.regionNames.get(selected.regionCode) ?? selected.regionCode) : null;
  return (
    <>
      <IncidentList
        shown={shown}
        total={total}
        regionNames={props.regionNames}
        loading={props.loading}
        filter={filter}
        onFilterChange={setFilter}
        selectedId={selected?.id ?? null}
        onHover={props.onHover}
        onOpen={(id) => onSelect(id, true)}
      />
      {selected && detailOpen && (
        <IncidentDetail
          key={selected.id}
          incident={selected}
          regionName={regionName}
          role={props.role}
          onClose={() => onSelect(selected.id, false)}
          onChanged={props.onChanged}
        />
      )}
    </>
  );
}
