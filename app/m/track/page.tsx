import Shell from '../Shell';
import TrackView from '../TrackView';

export const metadata = { title: '查询办理进度 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="查询办理进度">
      <TrackView initialCode={null} />
    </Shell>
  );
}
