/**
 * Where the listed reports are, drawn offline: Nanning's seven districts from the bundled simplified outlines
 * (domain/fault/districts.ts) and one marker per report, coloured by status, that opens the report when clicked.
 * Production could draw the same markers on Tencent Maps' JS API with a key; the console needs no network for this.
 */
import { useState } from 'react';
import { Radio, Space, Tag } from 'tdesign-react';
import type { AdminFaultItem } from '../../../cloudfunctions/_shared/police/contract';
import {
  DISTRICT_BOUNDS,
  DISTRICT_OUTLINES,
  FAULT_DISTRICT_NAMES,
  type LonLat,
} from '../../../miniprogram/domain/fault/districts';
import {
  FAULT_STATUS_NAMES,
  FAULT_STATUSES,
  FAULT_TYPE_NAMES,
  type FaultStatus,
} from '../../../miniprogram/domain/fault/fault';

/** One colour per status, also used by the table's tags. */
export const STATUS_COLOURS: Readonly<Record<FaultStatus, string>> = {
  submitted: '#e37318',
  accepted: '#0052d9',
  fixed: '#2ba471',
  rejected: '#8b8b8b',
};

/** Pixels per degree of latitude; longitude shrinks by cos(latitude) so the districts keep their shape. */
const SCALE = 1000;
/** The map's width on screen, px (console.css `.fault-map`). */
const MAP_WIDTH = 300;
const LON_FACTOR = Math.cos((22.9 * Math.PI) / 180);

type Zoom = 'city' | 'core';

/** The visible box of each zoom: the seven districts, or the built-up centre where most reports are. */
const VIEWS: Readonly<Record<Zoom, { west: number; east: number; south: number; north: number }>> = {
  city: DISTRICT_BOUNDS,
  core: { west: 108.2, east: 108.5, south: 22.7, north: 22.92 },
};

function project([lon, lat]: LonLat): [number, number] {
  return [(lon - DISTRICT_BOUNDS.west) * LON_FACTOR * SCALE, (DISTRICT_BOUNDS.north - lat) * SCALE];
}

interface View {
  readonly box: string;
  /** viewBox units per screen pixel: a marker keeps its size on screen whatever the zoom. */
  readonly unit: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function viewOf(zoom: Zoom): View {
  const v = VIEWS[zoom];
  const [x0, y0] = project([v.west, v.north]);
  const [x1, y1] = project([v.east, v.south]);
  return { box: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`, unit: (x1 - x0) / MAP_WIDTH, x0, y0, x1, y1 };
}

/** A district's name at its centre, pulled inside the view when the centre is off it. */
function labelAt(centre: readonly [number, number], view: View): [number, number] {
  const margin = 30 * view.unit;
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low + margin), high - margin);
  return [clamp(centre[0], view.x0, view.x1), clamp(centre[1], view.y0, view.y1)];
}

const DISTRICTS = Object.entries(DISTRICT_OUTLINES).map(([id, ring]) => {
  const points = ring.map(project);
  const centre = points.reduce(([sx, sy], [x, y]) => [sx + x / points.length, sy + y / points.length], [0, 0]);
  return {
    id: id as keyof typeof DISTRICT_OUTLINES,
    points,
    path: points.map(([x, y]) => `${x},${y}`).join(' '),
    centre,
  };
});

export function FaultMap(props: {
  readonly reports: readonly AdminFaultItem[];
  readonly selected: string | null;
  readonly onOpen: (report: AdminFaultItem) => void;
}) {
  const [zoom, setZoom] = useState<Zoom>('core');
  const view = viewOf(zoom);
  const { box, unit } = view;
  const bounds = VIEWS[zoom];
  const visible = props.reports.filter(
    (r) =>
      r.longitude >= bounds.west &&
      r.longitude <= bounds.east &&
      r.latitude >= bounds.south &&
      r.latitude <= bounds.north,
  );
  const hidden = props.reports.length - visible.length;
  return (
    <Space direction="vertical" className="wide">
      <Radio.Group
        variant="default-filled"
        size="small"
        value={zoom}
        onChange={(value) => setZoom(value === 'city' ? 'city' : 'core')}
      >
        <Radio.Button value="core">主城区</Radio.Button>
        <Radio.Button value="city">全市七城区</Radio.Button>
      </Radio.Group>
      <svg className="fault-map" viewBox={box} role="img" aria-label="报障位置地图">
        {DISTRICTS.map((d, i) => {
          // a district wholly off the view gets no name pulled into it
          const seen = d.points.some(([px, py]) => px >= view.x0 && px <= view.x1 && py >= view.y0 && py <= view.y1);
          const [x, y] = labelAt(d.centre, view);
          return (
            <g key={d.id}>
              <polygon className={`fault-map-district tone-${i % 3}`} points={d.path} strokeWidth={unit} />
              {seen ? (
                <text className="fault-map-label" x={x} y={y} fontSize={12 * unit} textAnchor="middle">
                  {FAULT_DISTRICT_NAMES[d.id]}
                </text>
              ) : null}
            </g>
          );
        })}
        {visible.map((r) => {
          const [x, y] = project([r.longitude, r.latitude]);
          const chosen = r.reportId === props.selected;
          return (
            <circle
              key={r.reportId}
              className="fault-map-marker"
              data-report-id={r.reportId}
              role="button"
              aria-label={`${FAULT_TYPE_NAMES[r.type]} ${r.place || '未命名地点'} ${FAULT_STATUS_NAMES[r.status]}`}
              cx={x}
              cy={y}
              r={(chosen ? 8 : 6) * unit}
              fill={STATUS_COLOURS[r.status]}
              stroke="#fff"
              strokeWidth={(chosen ? 3 : 1.5) * unit}
              onClick={() => props.onOpen(r)}
            >
              <title>{`${FAULT_TYPE_NAMES[r.type]} · ${r.place || '未命名地点'} · ${FAULT_STATUS_NAMES[r.status]}`}</title>
            </circle>
          );
        })}
      </svg>
      <Space size="small" breakLine>
        {FAULT_STATUSES.map((s) => (
          <Tag key={s} variant="light" icon={<span className="fault-dot" style={{ background: STATUS_COLOURS[s] }} />}>
            {FAULT_STATUS_NAMES[s]}
          </Tag>
        ))}
      </Space>
      {hidden > 0 ? (
        <span className="form-hint">本页另有 {hidden} 条不在此视图内（可切换“全市七城区”，县及县级市不在图中）。</span>
      ) : null}
    </Space>
  );
}
