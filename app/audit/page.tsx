import PlainPage from '../components/PlainPage';
import AuditScreen from './AuditScreen';

export const metadata = { title: '审计日志 · 联动' };

/** Who did what, when (issue 10). The server lets only the administrator and the district roles open it. */
export default function AuditPage() {
  return (
    <PlainPage title="审计日志" wide links={[{ href: '/console', label: '指挥台' }, { href: '/wall', label: '指挥大屏' }]}>
      <AuditScreen />
    </PlainPage>
  );
}
