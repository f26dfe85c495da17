import { WARNING_LEVEL_LABEL, WARNING_STATE_LABEL, type WarningV1 } from '@/lib/contracts/warnings';
import { kindLabel, levelCss, shanghaiTime } from './warningLook';
import styles from './warnings.module.css';

/** One warning as the wall shows it: level, kind, title, the sentence with its numbers, time and state. */
export default function WarningCard({ warning: w }: { warning: WarningV1 }) {
  return (
    <article className={styles.card} data-level={w.level} data-state={w.state} style={{ '--level': levelCss(w.level) } as React.CSSProperties} data-testid={`wall-warning-${w.id}`}>
      <header className={styles.cardHead}>
        <span className={styles.level}>{WARNING_LEVEL_LABEL[w.level]}</span>
        <span className={styles.kind}>{kindLabel(w)}</span>
        <span className={styles.state}>{WARNING_STATE_LABEL[w.state]}</span>
      </header>
      <h3 className={styles.cardTitle}>{w.title}</h3>
      <p className={styles.explanation}>{w.explanation}</p>
      <footer className={styles.cardFoot}>
        <time dateTime={w.raisedAt}>{shanghaiTime(w.raisedAt)} 发出</time>
        <span>涉及事件 {w.eventIds.length} 起</span>
      </footer>
    </article>
  );
}
