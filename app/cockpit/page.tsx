import CockpitBoard from './CockpitBoard';

export const metadata = { title: '领导驾驶舱 · 联动' };

/**
 * /cockpit (issue 13): the server's page guard sends a visitor without a session to log in; the
 * board itself tells a role that may not read it so (无权查看) and opens on the viewer's own area.
 */
export default function CockpitPage() {
  return <CockpitBoard variant="desk" />;
}
