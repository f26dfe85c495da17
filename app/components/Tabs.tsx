'use client';

import styles from './tabs.module.css';

/** A row of tabs over one panel (ARIA tablist); the panel is `panel-<id>`, labelled by its tab. */
export default function Tabs<T extends string>({ tabs, current, onChange }: {
  tabs: readonly { id: T; label: string }[];
  current: T;
  onChange: (id: T) => void;
}) {
  return (
    <div className={styles.tabs} role="tablist">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          data-testid={`tab-${t.id}`}
          aria-controls={`panel-${t.id}`}
          aria-selected={current === t.id}
          className={styles.tab}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
