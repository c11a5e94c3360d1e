import * as RadioGroup from '@radix-ui/react-radio-group';
import { PEOPLE_LABELS, PEOPLE_MODES, type PeopleMode } from '../../common/contract';

const HINTS: Record<PeopleMode, string> = {
  all: 'Everyone the camera sees stays in the picture.',
  main: 'Only the person with the largest face stays, held over time; everyone else becomes background.',
  pick: 'Click a person in the preview to keep them, click again to drop them. Until you pick someone, everyone stays.',
};

/** Who stays in the picture: a Radix radio group (arrow keys move the choice), one row of three. */
export function PeoplePanel({ mode, onChange }: { mode: PeopleMode; onChange(mode: PeopleMode): void }) {
  return (
    <section className="people" aria-labelledby="people-title">
      <h3 id="people-title" className="group-title">
        Who stays in the picture
      </h3>
      <RadioGroup.Root
        className="segmented"
        aria-labelledby="people-title"
        aria-describedby="people-hint"
        orientation="horizontal"
        value={mode}
        onValueChange={(v) => onChange(v as PeopleMode)}
        data-testid="people"
      >
        {PEOPLE_MODES.map((m) => (
          <RadioGroup.Item key={m} value={m} className="segment" data-testid={`people-${m}`}>
            {PEOPLE_LABELS[m]}
          </RadioGroup.Item>
        ))}
      </RadioGroup.Root>
      <p className="hint" id="people-hint" data-testid="people-hint">
        {HINTS[mode]}
      </p>
    </section>
  );
}
