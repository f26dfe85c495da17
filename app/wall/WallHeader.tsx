import Clock from './Clock';
import styles from './wall.module.css';

type Props = {
  /** What the title says after the district's name. */
  title: string;
  districtName: string;
  status: 'ok' | 'connecting' | 'failed';
};

export default function WallHeader({ title, districtName, status }: Props) {
  return (
    <header className={styles.header}>
      <div className={styles.status} data-failed={status === 'failed'} data-state={status} data-testid="wall-status">
        <i aria-hidden />
        {status === 'failed' ? '数据连接中断，正在重试' : status === 'ok' ? '数据连接正常' : '实时数据连接中'}
      </div>
      <h1 className={styles.title}>{districtName}{title}</h1>
      <Clock />
    </header>
  );
}
