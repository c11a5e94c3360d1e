import { useState } from 'react';
import { parseHexColour, type Background, type BackgroundEntry } from '../../common/contract';
import { describeBackground, rgbToHex } from './format';

interface Props {
  /** The background the engine confirmed. */
  active: Background;
  entries: BackgroundEntry[];
  onRequest(background: Background): void;
}

/** Requests go to the engine; what is shown as active changes only once the engine confirms it. */
export function BackgroundPicker({ active, entries, onRequest }: Props) {
  const [strength, setStrength] = useState(active.kind === 'blur' ? active.strength : 0.5);
  const [colour, setColour] = useState(active.kind === 'colour' ? rgbToHex(active.rgb) : '#00ff00');
  const [path, setPath] = useState('');

  return (
    <fieldset className="backgrounds">
      <legend>Background</legend>
      <p data-testid="active-background">Active: {describeBackground(active)}</p>
      <div className="row">
        <button type="button" aria-pressed={active.kind === 'none'} onClick={() => onRequest({ kind: 'none' })}>
          None
        </button>
        <button type="button" aria-pressed={active.kind === 'blur'} onClick={() => onRequest({ kind: 'blur', strength })}>
          Blur
        </button>
        <input
          type="range"
          aria-label="Blur strength"
          data-testid="blur-strength"
          min={0}
          max={1}
          step={0.05}
          value={strength}
          onChange={(e) => {
            const s = Number(e.target.value);
            setStrength(s);
            onRequest({ kind: 'blur', strength: s });
          }}
        />
      </div>
      <div className="row">
        <label>
          Colour
          <input
            type="color"
            data-testid="colour"
            value={colour}
            onChange={(e) => {
              setColour(e.target.value);
              onRequest({ kind: 'colour', rgb: parseHexColour(e.target.value) });
            }}
          />
        </label>
        <button type="button" data-testid="use-colour" aria-pressed={active.kind === 'colour'} onClick={() => onRequest({ kind: 'colour', rgb: parseHexColour(colour) })}>
          Use colour
        </button>
      </div>
      {entries.length > 0 && (
        <div className="row" data-testid="bundled-backgrounds">
          {entries.map((entry) => (
            <button
              key={entry.id}
              type="button"
              aria-pressed={active.kind === entry.background.kind && describeBackground(active) === describeBackground(entry.background)}
              onClick={() => onRequest(entry.background)}
            >
              {entry.label}
            </button>
          ))}
        </div>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) onRequest({ kind: 'image', path: path.trim() });
        }}
      >
        <input type="text" data-testid="image-path" placeholder="Image file path" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" data-testid="use-image">
          Use image
        </button>
      </form>
    </fieldset>
  );
}
