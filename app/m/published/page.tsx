import Shell from '../Shell';
import Published from '../Published';

export const metadata = { title: '公开地图 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="已办结问题公开地图">
      <Published />
    </Shell>
  );
}
