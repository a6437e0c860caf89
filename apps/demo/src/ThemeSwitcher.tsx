import { useId, useState } from 'react';
import { applyTheme, storedTheme, type ThemeChoice } from './theme.ts';

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Auto' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Auto / Light / Dark, as a radio group (arrow keys move between the options). */
export function ThemeSwitcher() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Theme</legend>
      {CHOICES.map(({ value, label }) => (
        <label key={value} className="segmented-option">
          <input
            type="radio"
            name={name}
            value={value}
            checked={choice === value}
            onChange={() => {
              setChoice(value);
              applyTheme(value);
            }}
          />
          <span>{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
