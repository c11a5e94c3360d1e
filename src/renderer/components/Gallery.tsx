import * as RadioGroup from '@radix-ui/react-radio-group';
import { useEffect, useState } from 'react';
import { parseHexColour, type Background, type BackgroundEntry } from '../../common/contract';
import { describeBackground, rgbToHex } from './format';

/** What the file picker offers; anything else dropped is still sent, and main refuses it with a reason. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,video/mp4,video/quicktime,video/webm,video/x-matroska,.mkv';

/** Two strengths, as Meet offers: a light blur keeps the room readable, a strong one hides it. */
export const BLUR_LIGHT = 0.5;
export const BLUR_STRONG = 1;

export const COLOUR_SWATCHES: { name: string; hex: string }[] = [
  { name: 'Soft grey', hex: '#d9dde3' },
  { name: 'Charcoal', hex: '#2b2f36' },
  { name: 'Deep teal', hex: '#0f5e5a' },
  { name: 'Green screen', hex: '#00ff00' },
];

interface Tile {
  id: string;
  label: string;
  background: Background;
  kind: 'none' | 'blur-light' | 'blur-strong' | 'colour' | 'image' | 'video';
  thumbnail?: string;
  swatch?: string;
  entry?: BackgroundEntry;
}

function sameBackground(a: Background, b: Background): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The tile the engine's confirmed background belongs to; null for one the gallery does not list. */
export function activeTileId(active: Background, entries: BackgroundEntry[]): string | null {
  switch (active.kind) {
    case 'none':
      return 'none';
    case 'blur':
      return active.strength < (BLUR_LIGHT + BLUR_STRONG) / 2 ? 'blur-light' : 'blur-strong';
    case 'colour': {
      const hex = rgbToHex(active.rgb);
      return COLOUR_SWATCHES.some((s) => s.hex === hex) ? `colour-${hex}` : 'colour-custom';
    }
    case 'image':
    case 'video':
      return entries.find((e) => sameBackground(e.background, active))?.id ?? null;
    default:
      return null;
  }
}

interface Props {
  /** The background the engine confirmed; it is marked as active only once the engine has it. */
  active: Background;
  entries: BackgroundEntry[];
  onRequest(background: Background): void;
  /** Absent where the host has no data folder to copy into (the browser test page). */
  onAddFiles?(files: File[]): void;
  onRemove?(entry: BackgroundEntry): void;
  adding?: boolean;
}

export function Gallery({ active, entries, onRequest, onAddFiles, onRemove, adding = false }: Props) {
  const [custom, setCustom] = useState(() => (active.kind === 'colour' && !COLOUR_SWATCHES.some((s) => s.hex === rgbToHex(active.rgb)) ? rgbToHex(active.rgb) : '#6b4fbb'));
  const [over, setOver] = useState(false);
  // A colour chosen elsewhere (tray, settings file) that is not a swatch shows as the custom one.
  const activeHex = active.kind === 'colour' ? rgbToHex(active.rgb) : null;
  useEffect(() => {
    if (activeHex && !COLOUR_SWATCHES.some((s) => s.hex === activeHex)) setCustom(activeHex);
  }, [activeHex]);

  const effects: Tile[] = [
    { id: 'none', label: 'No effect', background: { kind: 'none' }, kind: 'none' },
    { id: 'blur-light', label: 'Slight blur', background: { kind: 'blur', strength: BLUR_LIGHT }, kind: 'blur-light' },
    { id: 'blur-strong', label: 'Strong blur', background: { kind: 'blur', strength: BLUR_STRONG }, kind: 'blur-strong' },
  ];
  const colours: Tile[] = [
    ...COLOUR_SWATCHES.map((s) => ({ id: `colour-${s.hex}`, label: s.name, background: { kind: 'colour', rgb: parseHexColour(s.hex) } as Background, kind: 'colour' as const, swatch: s.hex })),
    { id: 'colour-custom', label: `Custom colour ${custom}`, background: { kind: 'colour', rgb: parseHexColour(custom) }, kind: 'colour', swatch: custom },
  ];
  const media: Tile[] = entries.map((e) => ({
    id: e.id,
    label: e.background.kind === 'video' ? `${e.label} (video)` : e.label,
    background: e.background,
    kind: e.background.kind === 'video' ? 'video' : 'image',
    thumbnail: e.thumbnail,
    entry: e,
  }));
  const all = [...effects, ...colours, ...media];
  const activeId = activeTileId(active, entries);

  const take = (list: FileList | null) => {
    const files = [...(list ?? [])];
    if (files.length > 0) onAddFiles?.(files);
  };

  const tile = (t: Tile) => (
    <div className={`tile-wrap${t.entry?.source === 'user' ? ' user' : ''}`} key={t.id} data-testid={`background-${t.id}`}>
      <RadioGroup.Item value={t.id} className={`tile tile-${t.kind}`} aria-label={t.label} title={t.label}>
        <span className="tile-art" aria-hidden="true">
          {t.thumbnail ? <img src={t.thumbnail} alt="" width={96} height={54} draggable={false} /> : t.swatch ? <span className="swatch" style={{ background: t.swatch }} /> : null}
          {t.kind === 'none' && <span className="glyph">⊘</span>}
          {t.kind === 'video' && <span className="badge">▶ video</span>}
        </span>
        <span className="tile-label">{t.entry ? t.entry.label : t.label}</span>
        <RadioGroup.Indicator className="tile-check" aria-hidden="true">
          ✓
        </RadioGroup.Indicator>
      </RadioGroup.Item>
      {t.entry?.source === 'user' && onRemove && (
        <button type="button" className="tile-remove" aria-label={`Remove ${t.entry.label}`} title={`Remove ${t.entry.label}`} onClick={() => onRemove(t.entry!)}>
          ✕
        </button>
      )}
    </div>
  );

  return (
    <section
      className={`gallery${over ? ' drop-over' : ''}`}
      aria-labelledby="gallery-title"
      data-testid="background-drop"
      onDragOver={(e) => {
        if (!onAddFiles) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (onAddFiles) take(e.dataTransfer.files);
      }}
    >
      <h2 id="gallery-title" className="visually-hidden">
        Background
      </h2>
      <p className="active-line" data-testid="active-background" aria-live="polite">
        Active: {describeBackground(active)}
      </p>
      <RadioGroup.Root
        className="tiles-root"
        aria-label="Background"
        value={activeId ?? ''}
        onValueChange={(id) => {
          const t = all.find((x) => x.id === id);
          if (t) onRequest(t.background);
        }}
      >
        <h3 className="group-title">Effects</h3>
        <div className="tiles">{effects.map(tile)}</div>
        <h3 className="group-title">Colours</h3>
        <div className="tiles">{colours.map(tile)}</div>
        <h3 className="group-title">Pictures and videos</h3>
        <div className="tiles" data-testid="bundled-backgrounds">
          {media.map(tile)}
          {onAddFiles ? (
            <label className={`tile tile-add${adding ? ' busy' : ''}`} data-testid="background-add" title="Add pictures or videos">
              <span className="tile-art" aria-hidden="true">
                <span className="glyph">{adding ? '…' : '+'}</span>
              </span>
              <span className="tile-label">{adding ? 'Adding…' : 'Add'}</span>
              <input
                type="file"
                className="visually-hidden"
                multiple
                accept={ACCEPT}
                data-testid="background-file"
                aria-label="Add pictures or videos as backgrounds"
                onChange={(e) => {
                  take(e.target.files);
                  e.target.value = '';
                }}
              />
            </label>
          ) : null}
        </div>
      </RadioGroup.Root>
      <div className="custom-colour">
        <label htmlFor="custom-colour-input">Custom colour</label>
        <input
          id="custom-colour-input"
          type="color"
          data-testid="colour"
          value={custom}
          onChange={(e) => {
            setCustom(e.target.value);
            onRequest({ kind: 'colour', rgb: parseHexColour(e.target.value) });
          }}
        />
      </div>
      <p className="hint" data-testid="background-add-hint">
        {onAddFiles ? 'Drop pictures or videos anywhere on this list, or use Add.' : 'Adding your own backgrounds works in the Backdrop desktop app.'}
      </p>
    </section>
  );
}
