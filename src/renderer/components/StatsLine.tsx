import type { EngineState } from '../session/engine-link';
import { formatStats } from './format';

export function StatsLine(props: { engine: EngineState; cameraDropped: number }) {
  const { stats, provider } = props.engine;
  return (
    <p
      className="stats"
      data-testid="stats"
      data-provider={provider ?? ''}
      data-fps-in={stats?.fpsIn ?? 0}
      data-fps-out={stats?.fpsOut ?? 0}
    >
      {formatStats(stats, props.cameraDropped, provider)}
    </p>
  );
}
