import type { EngineStats, Quality } from '../../common/contract';
import { STAGE_NAMES } from '../../common/contract';
import type { EngineState } from '../session/engine-link';
import { providerLabel, runningSummary } from './status-format';

interface Props {
  engine: EngineState;
  quality: Quality;
  /** Camera and engine drops per second over the last seconds. */
  dropRate: number;
  detailsOpen: boolean;
  onToggleDetails(): void;
}

function fpsText(stats: EngineStats | null, connection: EngineState['connection']): string {
  if (connection === 'lost') return 'Engine stopped';
  if (!stats) return 'Starting…';
  return `${stats.fpsOut.toFixed(0)} fps`;
}

/** One quiet line: fps, CPU, provider, what quality runs, drops now. Each figure has a fixed width. */
export function StatusBar({ engine, quality, dropRate, detailsOpen, onToggleDetails }: Props) {
  const { stats, provider, connection } = engine;
  return (
    <div className="status" data-testid="stats" data-provider={provider ?? ''} data-fps-in={stats?.fpsIn ?? 0} data-fps-out={stats?.fpsOut ?? 0} data-drop-rate={dropRate.toFixed(2)}>
      <span className="chip numeric w-fps" data-testid="status-fps" title="Frames a second the engine puts out">
        {fpsText(stats, connection)}
      </span>
      <span className="chip numeric w-cpu" data-testid="status-cpu" title="Share of all CPU cores the engine uses">
        CPU {stats?.cpuPercent === undefined ? '—' : `${Math.round(stats.cpuPercent)}%`}
      </span>
      <span className="chip w-provider" data-testid="status-provider" title="Where the networks run (the execution provider that actually ran)">
        {providerLabel(provider)}
      </span>
      <span className="chip w-quality" data-testid="status-quality" title="The quality and matting actually running">
        {runningSummary(quality, stats)}
      </span>
      <span className={`chip numeric w-drops${dropRate >= 1 ? ' warn' : ''}`} data-testid="status-drops" title="Frames dropped a second, camera and engine, over the last 5 seconds">
        {dropRate < 0.05 ? 'No drops' : `${dropRate.toFixed(1)} dropped/s`}
      </span>
      <button type="button" className="btn ghost small" aria-expanded={detailsOpen} aria-controls="details-drawer" data-testid="details-toggle" onClick={onToggleDetails}>
        Details
      </button>
    </div>
  );
}

/** Stage times, latency, rates and threads, for whoever wants them; it floats over the preview. */
export function DetailsDrawer({ engine, cameraDropped, onClose }: { engine: EngineState; cameraDropped: number; onClose(): void }) {
  const { stats } = engine;
  return (
    <aside id="details-drawer" className="drawer" aria-label="Performance details" data-testid="details">
      <header className="drawer-head">
        <h2>Performance details</h2>
        <button type="button" className="btn ghost icon" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </header>
      {!stats ? (
        <p className="hint">Waiting for the engine's first figures…</p>
      ) : (
        <dl className="details-grid numeric">
          {STAGE_NAMES.filter((s) => stats.stagesMs[s] !== undefined).map((s) => (
            <div key={s}>
              <dt>{s}</dt>
              <dd>{(stats.stagesMs[s] as number).toFixed(1)} ms</dd>
            </div>
          ))}
          <div>
            <dt>latency p50 / p95</dt>
            <dd>
              {Math.round(stats.latencyMs.p50)} / {Math.round(stats.latencyMs.p95)} ms
            </dd>
          </div>
          <div>
            <dt>fps in / out</dt>
            <dd>
              {stats.fpsIn.toFixed(1)} / {stats.fpsOut.toFixed(1)}
            </dd>
          </div>
          <div>
            <dt>matting</dt>
            <dd>{stats.matting === 'off' ? 'off' : `${stats.matting} · ${stats.quality} · ${stats.mattingHz.toFixed(1)} Hz`}</dd>
          </div>
          <div>
            <dt>threads</dt>
            <dd>
              segment {stats.threads.segment}
              {stats.threads.matte ? `, matte ${stats.threads.matte}` : ''}
            </dd>
          </div>
          <div>
            <dt>dropped since start</dt>
            <dd>
              camera {cameraDropped}, engine {stats.dropped}
            </dd>
          </div>
          <div>
            <dt>provider</dt>
            <dd>{stats.provider}</dd>
          </div>
        </dl>
      )}
    </aside>
  );
}
