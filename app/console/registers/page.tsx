import PlainPage from '@/app/components/PlainPage';
import RegistersScreen from './RegistersScreen';

export const metadata = { title: '重点场所与重点人员 · 联动' };

/**
 * The registers a gridder owes visits to (issue 12, S3): key places and key persons of the
 * station. The server guards /console pages; every read and change is checked again by the API,
 * which also masks what this viewer may not read.
 */
export default function RegistersPage() {
  return (
    <PlainPage title="重点场所与重点人员" links={[{ href: '/console', label: '指挥台' }]} wide>
      <RegistersScreen />
    </PlainPage>
  );
}
