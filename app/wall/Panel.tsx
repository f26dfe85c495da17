import type { ReactNode } from 'react';
import styles from './wall.module.css';

type Props = { title: string; className?: string; children?: ReactNode };

/** A titled wall panel; with no children it shows the empty state rather than invented numbers. */
export default function Panel({ title, className, children }: Props) {
  return (
    <section className={`${styles.panel} ${className ?? ''}`} aria-label={title}>
      <h2 className={styles.panelTitle}>{title}</h2>
      <div className={styles.panelBody}>{children ?? <p className={styles.empty}>暂无数据</p>}</div>
    </section>
  );
}
