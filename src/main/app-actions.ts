/**
 * What the tray and the global hotkeys can ask of the app, as data, and the pure steps from a hotkey to
 * an action. main/index.ts supplies the effects (AppActionEffects); the decisions stay testable here.
 */
import type { Background, HotkeyAction, PeopleMode } from '../common/contract';
import type { OutputControls, OutputState } from './outputs';
import { backgroundOffTarget, cyclePreset, type Preset } from './presets';

export type AppAction =
  | { type: 'apply-background'; background: Background }
  | { type: 'set-people'; people: PeopleMode }
  | { type: 'set-virtual-camera'; on: boolean }
  | { type: 'start-recording' }
  | { type: 'stop-recording' }
  | { type: 'start-streaming' }
  | { type: 'stop-streaming' }
  | { type: 'show-window' }
  | { type: 'hide-window' }
  | { type: 'quit' };

/**
 * The background main last asked for or saw confirmed. Hotkeys step from it rather than from the saved
 * setting, so two quick presses of "next" move two presets even before the engine confirmed the first.
 */
export class BackgroundTracker {
  private lastShownBackground: Background | null = null;

  constructor(private currentBackground: Background) {
    this.note(currentBackground);
  }

  get current(): Background {
    return this.currentBackground;
  }

  /** The last background other than none: where "background off" returns to. */
  get lastShown(): Background | null {
    return this.lastShownBackground;
  }

  note(background: Background): void {
    this.currentBackground = background;
    if (background.kind !== 'none') this.lastShownBackground = background;
  }
}

export interface HotkeyContext {
  presets: readonly Preset[];
  current: Background;
  lastShown: Background | null;
  outputs: OutputState;
}

/** The action a hotkey stands for right now; null when there is nothing to do (no presets at all). */
export function actionForHotkey(hotkey: HotkeyAction, ctx: HotkeyContext): AppAction | null {
  switch (hotkey) {
    case 'nextPreset':
    case 'previousPreset': {
      const preset = cyclePreset(ctx.presets, ctx.current, hotkey === 'nextPreset' ? 1 : -1);
      return preset && { type: 'apply-background', background: preset.background };
    }
    case 'backgroundOff':
      return { type: 'apply-background', background: backgroundOffTarget(ctx.current, ctx.lastShown) };
    case 'toggleRecording':
      return ctx.outputs.recording ? { type: 'stop-recording' } : { type: 'start-recording' };
  }
}

export interface AppActionEffects {
  /** Hands the background to the page, which forwards it to the engine ahead of its next frame. */
  applyBackground(background: Background): void;
  /** Saves who stays in the picture; the page hands the saved mode to the engine. */
  setPeople(people: PeopleMode): Promise<void>;
  outputs: OutputControls;
  showWindow(): void;
  hideWindow(): void;
  quit(): void;
}

/** Carries an action out; an output that fails rejects, for main to tell the user. */
export async function runAppAction(action: AppAction, fx: AppActionEffects): Promise<void> {
  switch (action.type) {
    case 'apply-background':
      return fx.applyBackground(action.background);
    case 'set-people':
      return fx.setPeople(action.people);
    case 'set-virtual-camera':
      return fx.outputs.setVirtualCamera(action.on);
    case 'start-recording':
      return fx.outputs.startRecording();
    case 'stop-recording':
      return fx.outputs.stopRecording();
    case 'start-streaming':
      return fx.outputs.startStreaming();
    case 'stop-streaming':
      return fx.outputs.stopStreaming();
    case 'show-window':
      return fx.showWindow();
    case 'hide-window':
      return fx.hideWindow();
    case 'quit':
      return fx.quit();
  }
}
