import WallScreen from './WallScreen';
import { screenOf } from './screens';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function WallPage({ searchParams }: Props) {
  const { screen } = await searchParams;
  return <WallScreen screen={screenOf(screen)} />;
}
