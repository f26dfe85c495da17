import PlainPage from '@/app/components/PlainPage';
import CoverageScreen from './CoverageScreen';

export const metadata = { title: '巡查覆盖 · 联动' };

/**
 * S10's full coverage (人口清、场所清、隐患清、动态清) proven from the patrols' traces (issue 12): the
 * grids coloured by coverage, the four figures, a table per grid and what is still owed. The server
 * guards /console pages; the API answers only within the viewer's reach.
 */
export default function CoveragePage() {
  return (
    <PlainPage title="巡查覆盖" wide links={[{ href: '/console', label: '指挥台' }]}>
      <CoverageScreen />
    </PlainPage>
  );
}
