import { useState } from 'react';
import { parseHexColour, type Background, type BackgroundEntry } from '../../common/contract';
import { describeBackground, rgbToHex } from './format';

/** What the file picker offers; anything else dropped is still sent, and main refuses it with a reason. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,video/mp4,video/quicktime,video/webm,video/x-matroska,.mkv';

interface Props {
  /** The background the engine confirmed. */
  active: Background;
  entries: BackgroundEntry[];
  onRequest(background: Background): void;
  /** Absent where the host has no data folder to copy into (the browser test page). */
  onAddFiles?(files: File[]): void;
  onRemove?(entry: BackgroundEntry): void;
  /** A drop is being checked and copied. */
  adding?: boolean;
}

function EntryButton({ entry, active, onRequest, onRemove }: { entry: BackgroundEntry; active: Background; onRequest: Props['onRequest']; onRemove: Props['onRemove'] }) {
  const pressed = active.kind === entry.background.kind && describeBackground(active) === describeBackground(entry.background);
  return (
    <span className="entry" data-testid={`background-${entry.id}`}>
      <button type="button" aria-pressed={pressed} title={entry.label} onClick={() => onRequest(entry.background)}>
        {entry.thumbnail && <img src={entry.thumbnail} alt="" width={80} height={45} />}
        <span>
          {entry.label}
          {entry.background.kind === 'video' ? ' (video)' : ''}
        </span>
      </button>
      {entry.source === 'user' && onRemove && (
        <button type="button" className="remove" aria-label={`Remove ${entry.label}`} onClick={() => onRemove(entry)}>
          ×
        </button>
      )}
    </span>
  );
}

function DropZone({ onAddFiles, adding }: { onAddFiles: Props['onAddFiles']; adding: boolean }) {
  const [over, setOver] = useState(false);
  if (!onAddFiles) {
    return (
      <p className="drop-zone unavailable" data-testid="background-drop">
        Adding your own backgrounds works in the Backdrop desktop app.
      </p>
    );
  }
  const take = (list: FileList | null) => {
    const files = [...(list ?? [])];
    if (files.length > 0) onAddFiles(files);
  };
  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid="background-drop"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer.files);
      }}
    >
      {adding ? (
        'Adding…'
      ) : (
        <>
          Drop pictures or videos here, or{' '}
          <label className="file-pick">
            choose files
            <input
              type="file"
              multiple
              accept={ACCEPT}
              data-testid="background-file"
              onChange={(e) => {
                take(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
        </>
      )}
    </div>
  );
}

/** Requests go to the engine; what is shown as active changes only once the engine confirms it. */
export function BackgroundPicker({ active, entries, onRequest, onAddFiles, onRemove, adding = false }: Props) {
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
        <div className="row entries" data-testid="bundled-backgrounds">
          {entries.map((entry) => (
            <EntryButton key={entry.id} entry={entry} active={active} onRequest={onRequest} onRemove={onRemove} />
          ))}
        </div>
      )}
      <DropZone onAddFiles={onAddFiles} adding={adding} />
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
