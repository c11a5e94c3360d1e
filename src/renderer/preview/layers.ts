/**
 * Which of the two pictures the preview shows: the camera as it is ('before', or until the engine's
 * first composite arrives, so the window shows the camera at once and the effect as soon as it is
 * ready) or the engine's output. Pure.
 */
export function visibleLayer(view: 'before' | 'after', hasOutput: boolean): 'camera' | 'output' {
  return view === 'after' && hasOutput ? 'output' : 'camera';
}
