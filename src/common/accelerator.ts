/**
 * Electron accelerators ("CommandOrControl+Alt+R") checked before they reach globalShortcut, which
 * throws on a malformed one and says nothing useful. Pure and shared: the contract validates settings
 * with it, main registers with it, the page shows why a typed shortcut is refused.
 */

export class AcceleratorError extends Error {
  constructor(
    readonly accelerator: string,
    readonly reason: string,
  ) {
    super(`hotkey ${JSON.stringify(accelerator)} ${reason}`);
    this.name = 'AcceleratorError';
  }
}

export type Modifier = 'CommandOrControl' | 'Command' | 'Control' | 'Alt' | 'AltGr' | 'Shift' | 'Super';

/** Written order, so an accelerator formats the same however it was typed. */
const MODIFIER_ORDER: readonly Modifier[] = ['CommandOrControl', 'Command', 'Control', 'Super', 'Alt', 'AltGr', 'Shift'];

const MODIFIER_ALIASES: Record<string, Modifier> = {
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return',
  'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'PrintScreen',
  'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const KEY_ALIASES: Record<string, string> = { enter: 'Return', esc: 'Escape' };
const KEYS_BY_LOWER = new Map(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
/** Punctuation Electron accepts as a key; '+' itself is the separator, so that key is spelled 'Plus'. */
const PUNCTUATION = new Set([...')!@#$%^&*(:;<=,_->.?/~`{][|\\}"\'']);

/** Keys that do not type anything, so a global hotkey on them alone takes nothing from other apps. */
function isNonTypingKey(key: string): boolean {
  return /^F([1-9]|1[0-9]|2[0-4])$/.test(key) || /^(Volume|Media)/.test(key) || key === 'PrintScreen';
}

export interface Accelerator {
  modifiers: readonly Modifier[];
  key: string;
}

function parseKey(token: string, text: string): string {
  const lower = token.toLowerCase();
  if (/^[a-z0-9]$/.test(lower)) return lower.toUpperCase();
  if (/^f([1-9]|1[0-9]|2[0-4])$/.test(lower)) return lower.toUpperCase();
  if (PUNCTUATION.has(token)) return token;
  const named = KEY_ALIASES[lower] ?? KEYS_BY_LOWER.get(lower);
  if (named) return named;
  throw new AcceleratorError(text, `has an unknown key ${JSON.stringify(token)}`);
}

/**
 * Parses and checks an accelerator meant for a *global* hotkey: exactly one key, modifiers at most once
 * each, and a real modifier (not Shift alone) unless the key types nothing (F1-F24, media keys), since a
 * global Ctrl-less "R" would steal that letter from every other app.
 */
export function parseAccelerator(text: string): Accelerator {
  if (text.length === 0 || text.length > 100) throw new AcceleratorError(text, 'must be 1 to 100 characters');
  const tokens = text.split('+').map((t) => t.trim());
  if (tokens.some((t) => t.length === 0)) throw new AcceleratorError(text, "has an empty part (write the plus key as 'Plus')");
  const modifiers = new Set<Modifier>();
  for (const token of tokens.slice(0, -1)) {
    const modifier = MODIFIER_ALIASES[token.toLowerCase()];
    if (!modifier) throw new AcceleratorError(text, `has ${JSON.stringify(token)} where a modifier (Ctrl, Alt, Shift, Super, Command) should be`);
    if (modifiers.has(modifier)) throw new AcceleratorError(text, `names ${modifier} twice`);
    modifiers.add(modifier);
  }
  const last = tokens[tokens.length - 1];
  if (MODIFIER_ALIASES[last.toLowerCase()]) throw new AcceleratorError(text, 'has no key, only modifiers');
  const key = parseKey(last, text);
  const strong = [...modifiers].some((m) => m !== 'Shift');
  if (!strong && !isNonTypingKey(key)) {
    throw new AcceleratorError(text, 'needs Ctrl, Alt, Super or Command: a global hotkey without one would take that key from every other app');
  }
  return { modifiers: MODIFIER_ORDER.filter((m) => modifiers.has(m)), key };
}

export function formatAccelerator(acc: Accelerator): string {
  return [...acc.modifiers, acc.key].join('+');
}

/** 'mac' or everything else: the two ways Electron maps CommandOrControl, Command and Super to keys. */
export type KeyboardFamily = 'mac' | 'other';

export function keyboardFamily(platform: string): KeyboardFamily {
  return platform === 'darwin' ? 'mac' : 'other';
}

/**
 * The physical chord an accelerator presses on a platform family, as a comparable string. Electron
 * maps CommandOrControl to Cmd on macOS and Ctrl elsewhere, and Command and Super to the same key
 * (Cmd on macOS, the Windows/Super key elsewhere).
 */
export function chordOf(acc: Accelerator, family: KeyboardFamily): string {
  const keys = new Set<string>();
  for (const m of acc.modifiers) {
    if (m === 'CommandOrControl') keys.add(family === 'mac' ? 'meta' : 'ctrl');
    else if (m === 'Command' || m === 'Super') keys.add('meta');
    else if (m === 'Control') keys.add('ctrl');
    else keys.add(m.toLowerCase());
  }
  return [...[...keys].sort(), acc.key.toLowerCase()].join('+');
}

export interface AcceleratorConflict<Name extends string> {
  names: [Name, Name];
  family: KeyboardFamily;
  chord: string;
}

/**
 * Pairs of bindings that press the same chord on some platform family ("Ctrl+Alt+R" and
 * "CommandOrControl+Alt+R" collide everywhere but macOS). Checking every family keeps a settings file
 * valid on one OS valid on the others.
 */
export function findConflicts<Name extends string>(
  bindings: readonly { name: Name; accelerator: Accelerator }[],
  families: readonly KeyboardFamily[] = ['mac', 'other'],
): AcceleratorConflict<Name>[] {
  const conflicts: AcceleratorConflict<Name>[] = [];
  for (let i = 0; i < bindings.length; i++) {
    for (let j = i + 1; j < bindings.length; j++) {
      const family = families.find((f) => chordOf(bindings[i].accelerator, f) === chordOf(bindings[j].accelerator, f));
      if (family) conflicts.push({ names: [bindings[i].name, bindings[j].name], family, chord: chordOf(bindings[i].accelerator, family) });
    }
  }
  return conflicts;
}
