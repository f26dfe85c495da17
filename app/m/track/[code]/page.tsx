import Shell from '../../Shell';
import TrackView from '../../TrackView';

export const metadata = { title: '办理进度 · 联动·群众服务' };

export default async function Page({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return (
    <Shell title="办理进度">
      <TrackView initialCode={decodeURIComponent(code)} />
    </Shell>
  );
}
